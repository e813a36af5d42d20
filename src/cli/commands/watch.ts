import type { WatchArgs } from '../options/watch.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_THRESHOLD, RuntimeFailure, UsageError } from '../../errors.js';
import { compileMatch, describeFilters, noMatchLine } from '../values/match.js';
import { shellQuote } from '../../reduce/shellQuote.js';
import { isFancyOutput, terminalWidth, writeStderr, writeStdout } from '../output.js';
import { warnChangesOnly } from '../../collect/warnChangesOnly.js';
import { parseInterval } from '../values/size.js';
import { parsePositiveInteger } from '../values/report.js';
import { collectReportViewNow } from '../../collect/collectReport.js';
import { describeUnreadable } from '../../scan/unreadable.js';
import { REPORT_DEFAULTS } from '../reportDefaults.js';
import { openProcRoot, readMemAvailable } from '../../collect/machineContext.js';
import { ProcessTarget, ProgramTarget, type WatchSample } from '../../sample/watchTargets.js';
import { boundGarbage } from '../../runtime/garbageBound.js';
import { WATCH_SCHEMA, WatchSeries, watchSummary, type WatchEnd } from '../../reduce/watchSeries.js';
import { clockTime, renderWatchHeader, renderWatchLine, renderWatchSummary } from '../../render/watchLines.js';
import { renderWatchScreen } from '../../render/watchScreen.js';
import { renderReportTable } from '../../render/reportTable.js';
import { rankGroups } from '../../reduce/rankGroups.js';
import { pressKeys, type WatchView } from '../../reduce/watchKeys.js';
import type { ReportView } from '../../reduce/buildReport.js';
import type { ProgramGroup } from '../../model/report.js';
import { withTerminalKeys } from '../terminalKeys.js';
import { renderCoverageLine, renderSystemLines } from '../../render/reportFooter.js';
import { escapeText, toSafeJson } from '../../render/escapeText.js';
import { startMachineOomWatch } from '../../cgroups/startMachineOomWatch.js';
import { IntervalClock } from '../../sample/sampleClock.js';
import { ENDING_SIGNALS, onSignals } from '../../signals.js';
import { parseBudgetKnobs } from '../values/budget.js';
import { ReadBudget } from '../../collect/readBudget.js';
import { KnownNames } from '../../scan/knownNames.js';
import { freshnessOf, renderCarriedLine } from '../../render/carriedLine.js';

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
  if (args.pid !== undefined || args.program !== undefined) {
    const machineOnly = (['match', 'group', 'sort', 'reverse', 'top'] as const).filter((name) => args[name] !== undefined).map((name) => (name === 'top' ? '-n' : `--${name}`));
    // The read budget's knobs: a target's sampler reads its few processes exactly at every sample.
    if (args.maxReadMs !== undefined) machineOnly.push('--max-read-ms');
    if (args.refresh !== undefined) machineOnly.push('--refresh');
    if (args.exact) machineOnly.push('--exact');
    if (machineOnly.length > 0) {
      const named = machineOnly.join(', ');
      throw new UsageError(`watch: ${named} ${machineOnly.length === 1 ? 'is' : 'are'} for the whole machine (watch alone); a PID or --program NAME is one target already`);
    }
  }
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
      if (series.samples === 0 && !args.json) writeStdout(renderWatchHeader(label, intervalMs, terminalWidth()));
      const step = series.add(sample);
      if (args.json) {
        const { identities: _identities, rss: _rss, ...figures } = sample;
        writeStdout(`${JSON.stringify({ schema: WATCH_SCHEMA, type: 'sample', time: now.toISOString(), ...figures })}\n`);
      } else {
        writeStdout(renderWatchLine(sample, step, now, args.units, intervalMs));
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

/** Warnings and OOM lines held while the screen is drawn in place: the first hundred (a warning repeated scan after scan is one). */
const heldLines: string[] = [];
function holdLine(line: string): void {
  if (heldLines.length < 100) heldLines.push(line);
}

const ALTERNATE_SCREEN = '\x1b[?1049h\x1b[?25l';
const NORMAL_SCREEN = '\x1b[?25h\x1b[?1049l';
const CLEAR = '\x1b[H\x1b[2J';

/** One scan of the machine, as the watch keeps it: the view, the groups it lists (those that match), when. */
interface MachineScan {
  view: ReportView;
  groups: ProgramGroup[];
  time: Date;
}

/** What the scan left out, and the groups carried forward under the read budget (with their age), where there are. */
function footerOf(view: ReportView, groups: readonly ProgramGroup[]): string {
  const carried = view.budget === undefined ? undefined : renderCarriedLine(view.budget, groups);
  return carried === undefined ? renderCoverageLine(view) : `${renderCoverageLine(view)}\n${carried}`;
}

/** JSON's groups with their freshness under the read budget: the age of the oldest exact read, the carried share. */
function withFreshness(view: ReportView, groups: readonly ProgramGroup[]): readonly ProgramGroup[] {
  const budget = view.budget;
  if (budget === undefined) return groups;
  return groups.map((group) => {
    const { oldestExactAgeMs, unreadForMs, carriedShare } = freshnessOf(budget, group);
    return { ...group, ...(oldestExactAgeMs === undefined ? {} : { oldestExactAgeMs }), ...(unreadForMs === undefined ? {} : { unreadForMs }), carriedShare };
  });
}

/**
 * The whole machine, a top for memory: on a terminal the report redrawn in place, ranked and grouped as
 * --sort and --group say and, where stdin is a terminal too, as the keys change them (s, g, r; q or Ctrl-C
 * quits); otherwise one report per interval.
 */
async function watchMachine(args: WatchArgs, clock: WatchClock): Promise<number> {
  const top = parsePositiveInteger('--top', args.top);
  const reader = openProcRoot(undefined);
  // --match: each scan is of the whole machine, so a process started after the watch began is picked up at the next one.
  const match = await compileMatch(args.match);
  let view: WatchView = { group: args.group ?? REPORT_DEFAULTS.group, sort: args.sort ?? REPORT_DEFAULTS.sort, reverse: args.reverse ?? REPORT_DEFAULTS.reverse };
  const onScreen = !args.json && isFancyOutput();
  const keys = onScreen && process.stdin.isTTY === true;
  // On the alternate screen a line on stderr would be wiped by the next redraw: said once the screen is restored.
  const oom = startMachineOomWatch('footprint watch', args.dir, onScreen ? holdLine : writeStderr);
  const afterScan = boundGarbage();
  const warnScan = warnChangesOnly(onScreen ? holdLine : writeStderr);
  // The read budget (docs/budget.md): a big process is read exactly once per --refresh, or when it moves, not at every scan.
  const budget = new ReadBudget(parseBudgetKnobs(args));
  // Each process's exe and command line, read again only when it is new or has exec'd (scan/knownNames.ts).
  const names = new KnownNames();
  const scanMachine = (): MachineScan => {
    const scanned = collectReportViewNow({ group: view.group, estimate: false, match }, { reader, warn: warnScan, budget, names });
    oom.afterScan(scanned.report, reader);
    afterScan();
    return { view: scanned, groups: scanned.matched ?? scanned.report.groups, time: new Date() };
  };
  const ranked = (groups: readonly ProgramGroup[]) => {
    const all = rankGroups(groups, view.sort, view.reverse);
    return top === undefined ? all : all.slice(0, top);
  };

  // Each group's writable memory when the watch first saw it, under the grouping shown; groups that are gone are
  // forgotten, so the map stays small. A new grouping starts it again: its names are other names.
  const baseline = new Map<string, number>();
  const noteBaseline = (groups: readonly ProgramGroup[]) => {
    const present = new Set(groups.map((group) => group.name));
    for (const name of baseline.keys()) if (!present.has(name)) baseline.delete(name);
    for (const group of groups) if (!baseline.has(group.name)) baseline.set(group.name, group.writable);
  };
  let shownScan: MachineScan | undefined;
  const draw = () => {
    if (shownScan === undefined) return;
    const matching = match === undefined ? '' : `, --match ${escapeText(shellQuote(match.source))}`;
    const title = `footprint watch${matching}: every ${args.interval ?? DEFAULT_INTERVAL}, ${clockTime(shownScan.time)}; ${keys ? 'q or ' : ''}Ctrl-C quits`;
    writeStdout(`${CLEAR}${renderWatchScreen(ranked(shownScan.groups), baseline, {
      units: args.units, rows: process.stdout.rows ?? 24, columns: process.stdout.columns, title, footer: footerOf(shownScan.view, ranked(shownScan.groups)), view, keys,
    })}`);
  };
  const show = (scan: MachineScan) => {
    noteBaseline(scan.groups);
    shownScan = scan;
    draw();
  };

  // A key's scan (a new grouping) runs in the key's event: what it throws ends the watch from the loop, as the loop's own would.
  let keyFailure: { error: unknown } | undefined;
  const onKeys = (text: string) => {
    try {
      const outcome = pressKeys(view, text);
      if (outcome.view.group !== view.group) baseline.clear();
      view = outcome.view;
      if (outcome.quit) clock.stop('interrupted');
      else if (outcome.rescan) show(scanMachine());
      else if (outcome.redraw) draw();
    } catch (error) {
      keyFailure = { error };
      clock.stop('interrupted');
    }
  };

  let taken = 0;
  let noMatch = false;
  const watchLoop = async () => {
    do {
      const scan = scanMachine();
      // Nothing matches at the start: exit 1 as the report does (--wait waits for it); later, a screen with no rows.
      if (match !== undefined && scan.groups.length === 0 && taken === 0 && !args.wait) {
        noMatch = true;
        break;
      }
      if (match !== undefined && scan.groups.length === 0 && taken === 0) continue;
      taken++;
      if (args.json) {
        writeStdout(`${toSafeJson({ ...scan.view.report, ...(match === undefined ? {} : { match: match.source }), groups: withFreshness(scan.view, ranked(scan.groups)) })}\n`);
      } else if (onScreen) {
        show(scan);
      } else {
        writeStdout(`${taken > 1 ? '\n' : ''}== ${scan.time.toISOString()} ==\n`);
        const matched = match === undefined ? '' : `--match ${escapeText(shellQuote(match.source))}: ${scan.groups.length} of ${scan.view.report.groups.length} groups listed; the total line is the whole machine's.\n`;
        const table = renderReportTable(scan.view, { units: args.units, fancy: false, groups: ranked(scan.groups), sort: view.sort });
        writeStdout(`${table}${matched}${footerOf(scan.view, ranked(scan.groups))}\n${renderSystemLines(scan.view, args.units)}`);
      }
    } while (!keyFailure && await clock.next(taken));
  };

  // The last screen, drawn again for the window's new size when it is resized.
  const onResize = () => draw();
  if (onScreen) {
    writeStdout(ALTERNATE_SCREEN);
    process.stdout.on('resize', onResize);
  }
  try {
    if (keys) await withTerminalKeys(process.stdin, onKeys, watchLoop);
    else await watchLoop();
  } finally {
    clock.release();
    oom.close();
    if (onScreen) {
      process.stdout.off('resize', onResize);
      writeStdout(NORMAL_SCREEN);
      for (const line of heldLines.splice(0)) writeStderr(line);
    }
  }
  if (keyFailure) throw keyFailure.error;
  if (noMatch) {
    writeStderr(noMatchLine(describeFilters({ match: match!.source }), ' (--wait waits for one)'));
    return EXIT_FAILURE;
  }
  if (onScreen) writeStdout(`footprint watch: ${taken} report${taken === 1 ? '' : 's'}, ended ${clock.endedBy === 'interrupted' ? `by ${keys ? 'q or ' : ''}a signal` : `after --${clock.endedBy}`}\n`);
  return EXIT_OK;
}
