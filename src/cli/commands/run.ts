import type { RunArgs } from '../options/run.js';
import { EXIT_FAILURE, RuntimeFailure, UsageError } from '../../errors.js';
import { renderRunHtml } from '../../render/runHtml.js';
import { noteWritten, stderrWidth, writeStderr } from '../output.js';
import { parseInterval } from '../values/size.js';
import { buildRunDocument } from '../../run/runDocument.js';
import { compileMarkPattern, type MarkPattern } from '../../run/markPattern.js';
import { CommandNotRun, exitStatusOf, runCommand } from '../../run/runCommand.js';
import { escapeText } from '../../render/escapeText.js';
import { renderRunSummary } from '../../render/runSummary.js';
import { checkOutputPath, writeFileAtomically } from '../../store/writeFileAtomically.js';
import { describeFileError } from '../../kernel/files/fileErrors.js';
import type { RunStats } from '../../run/runStats.js';
import { benchSwitches } from '../benchSwitches.js';

export type { RunArgs };

/**
 * `footprint run [options] -- CMD [ARGS...]`: CMD runs with footprint's stdin,
 * stdout and stderr; the summary goes to stderr when it ends, and footprint
 * exits with CMD's status.
 */
export async function runRun(args: RunArgs): Promise<number> {
  const command = [...(args.command ?? []), ...args._.slice(1)].map(String);
  if (command.length === 0) throw new UsageError('run: no command given (footprint run [options] -- CMD [ARGS...])');
  const intervalMs = args.interval === undefined ? undefined : parseInterval('--interval', args.interval);
  let mark: MarkPattern | undefined;
  if (args.mark !== undefined) {
    const compiled = await compileMarkPattern(args.mark);
    if (!compiled.ok) throw new UsageError(`--mark: ${compiled.reason}`);
    mark = compiled.pattern;
  }
  // Before CMD runs: a FIFO, device or socket named as --json or --html (or a kernel file system) is refused at once.
  for (const path of [args.json, args.html]) {
    if (path === undefined) continue;
    try {
      checkOutputPath(path);
    } catch (error) {
      throw new RuntimeFailure(`cannot write ${path}: ${describeFileError(error)}`);
    }
  }
  // Hidden, for bench/overTime.mjs: what each sample costs, and footprint's own CPU while CMD runs.
  const onStats = benchSwitches().runStats ? (stats: RunStats) => process.stderr.write(`footprint run-stats ${JSON.stringify(stats)}\n`) : undefined;
  const record = await runCommand({ command, intervalMs, mark, mappings: args.mappings, cgroup: args.cgroup, notice: writeStderr, onStats }).catch((error: unknown) => {
    // CMD's name is the user's text, which may hold escape sequences: shown escaped (exit 127 or 126 kept).
    throw error instanceof CommandNotRun ? new CommandNotRun(escapeText(error.command), error.reason, error.exitCode) : error;
  });
  const document = buildRunDocument(record);
  let status = exitStatusOf(record);
  // CMD's output that footprint passed on has all been written (synchronously); a last line without its newline gets one.
  if (record.outputEndsMidLine === true) writeStderr('\n');
  writeStderr(renderRunSummary(document, { units: args.units, samples: record.sampleCount, finalIntervalMs: record.finalIntervalMs, width: stderrWidth() }));
  const outputs: [string | undefined, () => string][] = [
    [args.json, () => `${JSON.stringify(document, null, 2)}\n`],
    [args.html, () => renderRunHtml(document, { generatedAt: new Date().toISOString() })],
  ];
  for (const [path, content] of outputs) {
    if (path === undefined) continue;
    try {
      writeFileAtomically(path, content());
      if (!args.quiet) noteWritten(path);
    } catch (error) {
      // CMD ran: its status still stands unless it succeeded and footprint did not.
      writeStderr(`footprint: cannot write ${path}: ${describeFileError(error)}\n`);
      if (status === 0) status = EXIT_FAILURE;
    }
  }
  return status;
}
