import type { WatchArgs } from '../options/watch.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_THRESHOLD, RuntimeFailure, UsageError } from '../../errors.js';
import { compileMatch, describeFilters, noMatchLine } from '../values/match.js';
import { shellQuote } from '../../reduce/shellQuote.js';
import { isFancyOutput, terminalWidth, writeStderr, writeStdout } from '../output.js';
import { parseInterval } from '../values/size.js';
import { parsePositiveInteger } from '../values/report.js';
import { collectReportViewNow } from '../../collect/collectReport.js';
import { describeUnreadable } from '../../scan/unreadable.js';
import { REPORT_DEFAULTS } from '../reportDefaults.js';
import { openProcRoot, readMemAvailable } from '../../collect/machineContext.js';
import { ProcessTarget, ProgramTarget, type WatchSample } from '../../sample/watchTargets.js';
import { boundGarbage } from '../../startup/garbageBound.js';
import { WATCH_SCHEMA, WatchSeries, watchSummary, type WatchEnd } from '../../reduce/watchSeries.js';
import { clockTime, renderWatchHeader, renderWatchLine, renderWatchSummary } from '../../render/watchLines.js';
import { renderWatchScreen } from '../../render/watchScreen.js';
import { renderReportTable } from '../../render/reportTable.js';
import { renderCoverageLine, renderSystemLines } from '../../render/reportFooter.js';
import { escapeText, toSafeJson } from '../../render/escapeText.js';
import { startMachineOomWatch } from '../../cgroups/startMachineOomWatch.js';
import { IntervalClock } from '../../sample/sampleClock.js';
import { ENDING_SIGNALS, onSignals } from '../../signals.js';

export type { WatchArgs };

const DEFAULT_INTERVAL = '2s';

/** Ends a watch: --duration, --count, a signal, or (with a target PID) the process's exit. */
class WatchClock extends IntervalClock {
  private readonly ignoreSignals = onSignals(ENDING_SIGNALS, () => this.stop('interrupted'));

  override release(): void {
    super.release();
    this.ignoreSignals();
  }
}

/**
 * `footprint watch PID`, `watch --program NAME`: a line per interval with
 * writable memory and its change, then a summary with the trend; exit 3 with
 * --fail-on-leak when the trend is growing. `footprint watch`: the report,
 * redrawn in place on a terminal, one per interval otherwise.
 */
export async function runWatch(args: WatchArgs): Promise<number> {
  if (args.pid !== undefined && args.program !== undefined) throw new UsageError('watch: a PID or --program NAME, not both');
  const intervalMs = parseInterval('--interval', args.interval ?? DEFAULT_INTERVAL);
  const durationMs = args.duration === undefined ? undefined : parseInterval('--duration', args.duration);
  const count = parsePositiveInteger('--count', args.count);
  if (args.match !== undefined && (args.pid !== undefined || args.program !== undefined)) throw new UsageError('watch: --match is for the whole machine (watch alone); a PID or --program NAME is one target already');
  if (args.pid === undefined && args.program === undefined) return watchMachine(args, new WatchClock(intervalMs, durationMs, count));
  const reader = openProcRoot(undefined);
  let sampleOf: (ms: number) => WatchSample | undefined;
  let label: string;
  let target: { pid: number } | { program: string };
  if (args.pid !== undefined) {
    const text = String(args.pid);
    if (!/^\d+$/.test(text) || Number(text) <= 0) throw new UsageError(`watch: "${text}" is not a PID`);
    const opened = ProcessTarget.open(reader, Number(text));
    if (typeof opened === 'string') throw new RuntimeFailure(`cannot watch PID ${text}: ${describeUnreadable(opened)}`);
    sampleOf = (ms) => opened.sample(ms);
    label = `PID ${opened.pid} (${opened.name})`;
    target = { pid: opened.pid };
  } else {
    const program = new ProgramTarget(reader, String(args.program));
    sampleOf = (ms) => {
      const sample = program.sample(ms);
      // The header names what the name found, where it is not just itself: `program python3 (python3.11 a.py, python3.11 b.py)`.
      if (series.samples === 0) label = programLabel(program.name, program.groups);
      return sample;
    };
    label = `program ${program.name}`;
    target = { program: program.name };
  }

  const clock = new WatchClock(intervalMs, durationMs, count);
  const series = new WatchSeries(intervalMs);
  const afterScan = boundGarbage();
  try {
    do {
      const now = new Date();
      const sample = sampleOf(Math.round(clock.ms));
      afterScan();
      if (sample === undefined) {
        clock.stop('exited');
        break;
      }
      if (target !== undefined && 'program' in target && series.samples === 0 && sample.processes === 0 && !args.wait) {
        throw new RuntimeFailure(`watch: no process of program "${escapeText(target.program)}" is running (footprint's report names programs; --wait waits for one)`);
      }
      if (series.samples === 0 && !args.json) writeStdout(renderWatchHeader(label, intervalMs));
      const step = series.add(sample);
      if (args.json) {
        const { identities: _identities, rss: _rss, ...figures } = sample;
        writeStdout(`${JSON.stringify({ schema: WATCH_SCHEMA, type: 'sample', time: now.toISOString(), ...figures })}\n`);
      } else {
        writeStdout(renderWatchLine(sample, step, now, args.units));
      }
    } while (await clock.next(series.samples));
  } finally {
    clock.release();
  }
  const summary = watchSummary(series, { target, endedBy: clock.endedBy ?? 'interrupted', durationMs: clock.ms, memAvailable: readMemAvailable(reader) });
  writeStdout(args.json ? `${toSafeJson(summary)}\n` : renderWatchSummary(summary, label, args.units, terminalWidth()));
  return args.failOnLeak && summary.trend.verdict === 'growing' ? EXIT_THRESHOLD : EXIT_OK;
}

function programLabel(name: string, groups: readonly string[]): string {
  if (groups.length === 0 || (groups.length === 1 && groups[0] === name)) return `program ${name}`;
  const listed = groups.length > 5 ? `${groups.slice(0, 5).join(', ')} and ${groups.length - 5} more` : groups.join(', ');
  return `program ${name} (${listed})`;
}

/** OOM lines held while the screen is drawn in place: the first hundred (one saved report each). */
const heldLines: string[] = [];
function holdLine(line: string): void {
  if (heldLines.length < 100) heldLines.push(line);
}

const ALTERNATE_SCREEN = '\x1b[?1049h\x1b[?25l';
const NORMAL_SCREEN = '\x1b[?25h\x1b[?1049l';

/** The whole machine: on a terminal the report redrawn in place (q or Ctrl-C quits); otherwise one report per interval. */
async function watchMachine(args: WatchArgs, clock: WatchClock): Promise<number> {
  const reader = openProcRoot(undefined);
  // --match: each scan is of the whole machine, so a process started after the watch began is picked up at the next one.
  const match = await compileMatch(args.match);
  const scanArgs = { group: REPORT_DEFAULTS.group, estimate: false, match } as const;
  const onScreen = !args.json && isFancyOutput() && process.stdin.isTTY === true;
  // On the alternate screen a line on stderr would be wiped by the next redraw: said once the screen is restored.
  const oom = startMachineOomWatch('footprint watch', args.dir, onScreen ? holdLine : writeStderr);
  const baseline = new Map<string, number>();
  const quit = (data: Buffer) => {
    if (data.includes(0x71) || data.includes(0x03)) clock.stop('interrupted');
  };
  if (onScreen) {
    writeStdout(ALTERNATE_SCREEN);
    process.stdin.setRawMode(true);
    process.stdin.on('data', quit);
  }
  let taken = 0;
  let noMatch = false;
  const afterScan = boundGarbage();
  // The last screen, drawn again for the window's new size when it is resized.
  let redraw: (() => void) | undefined;
  const onResize = () => redraw?.();
  if (onScreen) process.stdout.on('resize', onResize);
  try {
    do {
      const view = collectReportViewNow(scanArgs, { reader, warn: writeStderr });
      oom.afterScan(view.report, reader);
      afterScan();
      const groups = view.matched ?? view.report.groups;
      // Nothing matches at the start: exit 1 as the report does (--wait waits for it); later, a screen with no rows.
      if (match !== undefined && groups.length === 0 && taken === 0 && !args.wait) {
        noMatch = true;
        break;
      }
      if (match !== undefined && groups.length === 0 && taken === 0) continue;
      taken++;
      const now = new Date();
      if (args.json) {
        writeStdout(`${toSafeJson(match === undefined ? view.report : { ...view.report, match: match.source, groups })}\n`);
      } else if (onScreen) {
        // Groups first seen now start from here; groups that are gone are forgotten, so the map stays small.
        const present = new Set(groups.map((group) => group.name));
        for (const name of baseline.keys()) if (!present.has(name)) baseline.delete(name);
        for (const group of groups) if (!baseline.has(group.name)) baseline.set(group.name, group.writable);
        const matching = match === undefined ? '' : `, --match ${escapeText(shellQuote(match.source))}`;
        const title = `footprint watch${matching}: every ${args.interval ?? DEFAULT_INTERVAL}, ${clockTime(now)}; q or Ctrl-C quits`;
        redraw = () => writeStdout(`\x1b[H\x1b[2J${renderWatchScreen(groups, baseline, {
          units: args.units, rows: process.stdout.rows ?? 24, columns: process.stdout.columns, title, footer: renderCoverageLine(view),
        })}`);
        redraw();
      } else {
        writeStdout(`${taken > 1 ? '\n' : ''}== ${now.toISOString()} ==\n`);
        const matched = match === undefined ? '' : `--match ${escapeText(shellQuote(match.source))}: ${groups.length} of ${view.report.groups.length} groups listed; the total line is the whole machine's.\n`;
        writeStdout(`${renderReportTable(view, { units: args.units, fancy: false, groups })}${matched}${renderCoverageLine(view)}\n${renderSystemLines(view, args.units)}`);
      }
    } while (await clock.next(taken));
  } finally {
    clock.release();
    oom.close();
    if (onScreen) {
      process.stdout.off('resize', onResize);
      process.stdin.off('data', quit);
      process.stdin.setRawMode(false);
      process.stdin.pause();
      writeStdout(NORMAL_SCREEN);
      for (const line of heldLines.splice(0)) writeStderr(line);
    }
  }
  if (noMatch) {
    writeStderr(noMatchLine(describeFilters({ match: match!.source }), ' (--wait waits for one)'));
    return EXIT_FAILURE;
  }
  if (onScreen) writeStdout(`footprint watch: ${taken} report${taken === 1 ? '' : 's'}, ended ${clock.endedBy === 'interrupted' ? 'by q or a signal' : `after --${clock.endedBy}`}\n`);
  return EXIT_OK;
}

