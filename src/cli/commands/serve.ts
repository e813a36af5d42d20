import { SERVE_OPTIONS, type ServeArgs } from '../options/fleet.js';
import { once } from 'node:events';
import { UsageError, RuntimeFailure } from '../../errors.js';
import { writeStderr } from '../output.js';
import { warnChangesOnly } from '../../collect/warnChangesOnly.js';
import { collectReportView } from '../../collect/collectReport.js';
import { openProcRoot, rollupCeilingPages } from '../../collect/machineContext.js';
import { parseCgroupDepth, parseRollupMaxRss } from '../values/fleet.js';
import { CgroupScrape } from '../../cgroups/cgroupScrape.js';
import { resolveReportDir } from '../../store/reportDir.js';
import { parsePositiveInteger } from '../values/report.js';
import { parseInterval } from '../values/size.js';
import { reportMetrics } from '../../reduce/reportMetrics.js';
import { renderPrometheusText } from '../../render/prometheusText.js';
import { createMetricsServer } from '../../serve/metricsServer.js';
import { startPartner } from '../../collect/startPartner.js';
import { tuneForEnduringRun } from '../../runtime/v8Flags.js';
import { boundGarbage } from '../../runtime/garbageBound.js';
import { VERSION } from '../../version.js';
import { onSignals } from '../../signals.js';
import { benchSwitches } from '../benchSwitches.js';
import { DEFAULT_TOP } from './export.js';
import { compileMatch, matchedView } from '../values/match.js';
import { parseBudgetKnobs } from '../values/budget.js';
import { ReadBudget } from '../../collect/readBudget.js';
import { KnownNames } from '../../scan/knownNames.js';
import { SHMEM_SCRAPE_MAX_AGE_MS, ShmemScrape } from '../../collect/shmemScrape.js';

/** Bytes read by connections since closed, between full garbage collections (below). */
const GARBAGE_READ_BYTES = 1024 * 1024;

export type { ServeArgs };

function parseListen(text: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(text);
  const port = match === null ? NaN : Number(match[3]);
  if (match === null || !(port >= 0 && port <= 65535)) throw new UsageError(`--listen: "${text}" is not HOST:PORT (example: ${SERVE_OPTIONS.listen.default})`);
  return { host: match[1] ?? match[2], port };
}

/** 127.0.0.0/8, ::1 (also as ::ffff:127.x) and localhost: what only this machine can reach. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^(::ffff:)?127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/i.test(host);
}

/** What basic auth keeps from one load of the web config to the next (webSecurity.ts's AuthGate), made at the first. */
type Gate = import('../../serve/webSecurity.js').AuthGate;

async function loadWebConfig(file: string, holder: { gate?: Gate }) {
  if (file === '') throw new UsageError('--web-config: an empty file name');
  const { loadWebSecurity, AuthGate } = await import('../../serve/webSecurity.js');
  holder.gate ??= new AuthGate();
  try {
    return loadWebSecurity(file, holder.gate);
  } catch (error) {
    if ((error as Error).name === 'WebConfigError') throw new UsageError(`--web-config ${file}: ${(error as Error).message}`);
    throw error;
  }
}

/**
 * `footprint serve`: Prometheus metrics over HTTP, one scan per scrape
 * (shared within --min-interval), on loopback unless told otherwise; runs until
 * SIGINT or SIGTERM.
 */
export async function runServe(args: ServeArgs): Promise<number> {
  if ((args.group === 'cmdline' || args.group === 'pid') && !args.exposeCommandLines) {
    throw new UsageError(`serve --group ${args.group} puts command lines in labels, which can carry secrets: add --expose-command-lines to mean it`);
  }
  const { host, port } = parseListen(args.listen);
  const top = parsePositiveInteger('--top', args.top) ?? DEFAULT_TOP;
  const minIntervalMs = args.minInterval === '0' ? 0 : parseInterval('--min-interval', args.minInterval);
  // A tree that is not one is a usage error now, not a 500 at every scrape.
  const rollupMaxRssPages = rollupCeilingPages(openProcRoot(args.procRoot), parseRollupMaxRss(args.rollupMaxRss));
  // TLS, bcrypt and YAML are loaded only for a web config: plain serve starts as before.
  const auth: { gate?: Gate } = {};
  const security = args.webConfig === undefined ? undefined : await loadWebConfig(args.webConfig, auth);
  // --match: only the matching groups are series (a scrape with none is not an error: the machine's families remain).
  const match = await compileMatch(args.match);
  // No oom_score: no metric shows it (one open, read and close less per process and scrape).
  const scanArgs = { group: args.group, estimate: false, procRoot: args.procRoot, rollupMaxRssPages, match, oomScores: false };
  // The read budget (docs/budget.md): a big process is read exactly once per --refresh, or when it moves, not at every scrape.
  const budget = new ReadBudget(parseBudgetKnobs(args));
  // Each process's exe and command line, read again only when it is new or has exec'd (scan/knownNames.ts).
  const names = new KnownNames();
  const cgroups = CgroupScrape.start({
    live: args.procRoot === undefined, depth: parseCgroupDepth(args.cgroupDepth), dir: resolveReportDir(args.dir), who: 'footprint serve', warn: writeStderr,
  });
  // As root the scan reads ahead on libuv's threads: the smaps_rollup of each process under 64 MiB is read
  // there, untimed, while the main thread works; from 64 MiB up the scan reads in line and times each read,
  // which the budget learns from (a read on the pool was timed at 4x its walk under load: docs/budget.md,
  // "Where the reads are made"). A partner thread (a second V8 isolate) would scan beside the main one
  // but weighs 13-15 MB more (docs/serve.md, "serve's own weight"). With a web config serve keeps its partner: it answers clients that may mean
  // harm, and a scan on the main thread alone holds its event loop for all of the scan (under two busy
  // loops and 3,000 processes, seconds: test/serve/authFlood.test.ts's floods went unanswered).
  // FOOTPRINT_SCAN_PARTNER=1 (the bench) asks for the partner, FOOTPRINT_SCAN_THREADS=1 for none.
  const switches = benchSwitches();
  const wantsPartner = (security !== undefined || switches.scanPartner) && !switches.scanOnOneThread;
  const partner = wantsPartner ? startPartner(tuneForEnduringRun) : undefined;
  const afterScan = boundGarbage();
  const shmem = new ShmemScrape(args.procRoot === undefined && args.shmem, SHMEM_SCRAPE_MAX_AGE_MS);
  const warnScan = warnChangesOnly(writeStderr);
  const scrape = async () => {
    // A reader per scan: nothing of one scan is held for the next.
    const reader = openProcRoot(args.procRoot);
    const view = await collectReportView(scanArgs, { reader, partner, warn: warnScan, budget, names });
    const cgroupFamilies = cgroups.families(view.report, reader);
    const shmemFamilies = shmem.families(reader);
    afterScan();
    return renderPrometheusText([...reportMetrics(matchedView(view), { top, version: VERSION }), ...cgroupFamilies, ...shmemFamilies]);
  };
  // Said before listening: it is about the configuration, whatever the network does.
  if (!isLoopback(host) && (security === undefined || (security.wrap === undefined && security.authorize === undefined))) {
    writeStderr(`footprint serve: warning: ${args.listen} is reachable from the network and there is no --web-config with TLS or basic auth: anyone who can connect reads every program's name and memory\n`);
  }
  // What closed connections had read is garbage that V8 counts as external memory, and
  // collects only past 64 MB of it: a client that connects, floods and is shed, again and
  // again, would hold RSS 25-30 MB higher (measured). A full collection every 1 MiB read
  // (bench/serve.mjs, 100 such clients: highest RSS +4.7 MB over idle; every 4 MiB +9, every
  // 16 MiB +22). A scraper reads a few hundred bytes per connection: for it, next to never.
  const collect = boundGarbage(1);
  let readSinceCollection = 0;
  const onClosed = (bytesRead: number) => {
    readSinceCollection += bytesRead;
    if (readSinceCollection < GARBAGE_READ_BYTES) return;
    readSinceCollection = 0;
    collect();
  };
  const serving = { scrape, minIntervalMs, wrap: security?.wrap, authorize: security?.authorize, headers: security?.headers, onClosed };
  const { server, close } = createMetricsServer(serving);
  server.listen(port, host);
  try {
    await once(server, 'listening');
  } catch (error) {
    throw new RuntimeFailure(`cannot listen on ${args.listen}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const address = server.address();
  const shown = typeof address === 'object' && address !== null ? `${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}` : args.listen;
  const scheme = security?.wrap === undefined ? 'http' : 'https';
  writeStderr(`footprint serve: metrics on ${scheme}://${shown}/metrics${security === undefined ? '' : ` (${security.summary})`}\n`);

  // SIGHUP reads the web config again (a renewed certificate, a new password): for
  // connections and requests from then on. One that fails to load leaves the one in use.
  // A reload's garbage (a refused file's text, an old TLS context) is collected at once: RSS
  // stays where it was however many reloads come.
  const collectNow = boundGarbage(1);
  const reload = () => {
    void loadWebConfig(args.webConfig!, auth).finally(collectNow).then((next) => {
      if ((next.wrap === undefined) !== (serving.wrap === undefined)) {
        writeStderr(`footprint serve: --web-config ${args.webConfig}: TLS cannot be turned ${next.wrap === undefined ? 'off' : 'on'} by a reload (restart serve); kept the one in use\n`);
        return;
      }
      Object.assign(serving, { wrap: next.wrap, authorize: next.authorize, headers: next.headers });
      writeStderr(`footprint serve: reloaded --web-config ${args.webConfig} (${next.summary})\n`);
    }, (error: Error) => writeStderr(`footprint serve: ${error.message}; kept the one in use\n`));
  };
  // Without a web config SIGHUP keeps its default: it ends serve, as a closed terminal ends any command.
  if (security !== undefined) onSignals(['SIGHUP'], reload);
  await new Promise<void>((resolve) => onSignals(['SIGINT', 'SIGTERM'], () => resolve(), { once: true }));
  close();
  auth.gate?.close();
  partner?.close();
  cgroups.close();
  return 0;
}
