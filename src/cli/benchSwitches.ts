/**
 * The hidden switches that bench/*.mjs sets, read here, at the command layer,
 * and handed down as options: the code that samples and scans never looks at
 * the environment. Each is on only when its variable is exactly '1'.
 */
export interface BenchSwitches {
  /** FOOTPRINT_RUN_STATS (bench/overTime.mjs): run prints what each sample cost and its own CPU, on stderr. */
  runStats: boolean;
  /** FOOTPRINT_SCAN_THREADS=1 (bench/run.mjs, bench/serve.mjs): serve scans on one thread, for comparison (serve's default since issue 24). */
  scanOnOneThread: boolean;
  /** FOOTPRINT_SCAN_PARTNER=1 (bench/serveWeight.mjs): serve scans with a partner thread, as it did before issue 24, for comparison (unless FOOTPRINT_SCAN_THREADS=1). */
  scanPartner: boolean;
  /** FOOTPRINT_SELF_REPORT (bench/run.mjs): the report prints footprint's own memory after the scan (src/cli/selfReport.ts). */
  selfReport: boolean;
}

export function benchSwitches(env: NodeJS.ProcessEnv = process.env): BenchSwitches {
  return {
    runStats: env.FOOTPRINT_RUN_STATS === '1',
    scanOnOneThread: env.FOOTPRINT_SCAN_THREADS === '1',
    scanPartner: env.FOOTPRINT_SCAN_PARTNER === '1',
    selfReport: env.FOOTPRINT_SELF_REPORT === '1',
  };
}
