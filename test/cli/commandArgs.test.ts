/**
 * Each command's argument type is derived from its tables (src/cli/commandArgs.ts,
 * ArgsOf): here, checked by the compiler against what yargs' own types say it
 * hands a command registered with those tables, and at run time against what
 * the fast reader gives for no arguments (the tables' defaults).
 */
import { describe, expect, it } from '@jest/globals';
import type { ArgumentsCamelCase, InferredOptionTypes } from 'yargs';
import type { ArgsOf, OptionTable, PositionalTable } from '../../src/cli/commandArgs.js';
import { readOptionTable } from '../../src/cli/optionTable.js';
import { REPORT_OPTIONS } from '../../src/cli/options/report.js';
import { SHOW_OPTIONS, SHOW_POSITIONALS } from '../../src/cli/options/show.js';
import { CAPTURE_OPTIONS, CAPTURE_POSITIONALS } from '../../src/cli/options/capture.js';
import { DIFF_OPTIONS, DIFF_POSITIONALS, HISTORY_OPTIONS, SAVE_OPTIONS } from '../../src/cli/options/store.js';
import { RUN_OPTIONS, RUN_POSITIONALS } from '../../src/cli/options/run.js';
import { WATCH_OPTIONS, WATCH_POSITIONALS } from '../../src/cli/options/watch.js';
import { EXPORT_OPTIONS, SERVE_OPTIONS } from '../../src/cli/options/fleet.js';
import { CGROUPS_OPTIONS, CGROUPS_POSITIONALS } from '../../src/cli/options/cgroups.js';
import { REPORT_DEFAULTS } from '../../src/cli/reportDefaults.js';

/** What yargs' types say a handler gets for these tables. */
type YargsGives<O extends OptionTable, P extends PositionalTable = Record<never, never>> = ArgumentsCamelCase<InferredOptionTypes<O & P>>;
/** true when what yargs gives for the tables is an ArgsOf of them, else false (evaluated for each concrete pair of tables). */
type Fits<O extends OptionTable, P extends PositionalTable = Record<never, never>> = YargsGives<O, P> extends ArgsOf<O, P> ? true : false;

describe('ArgsOf: the argument type of a command, from its tables', () => {
  it('is what yargs hands a command registered with the same tables (checked by the compiler)', () => {
    // Each line compiles only when its Fits is true.
    const checked: true[] = [
      true satisfies Fits<typeof REPORT_OPTIONS>, true satisfies Fits<typeof SHOW_OPTIONS, typeof SHOW_POSITIONALS>,
      true satisfies Fits<typeof CAPTURE_OPTIONS, typeof CAPTURE_POSITIONALS>, true satisfies Fits<typeof SAVE_OPTIONS>,
      true satisfies Fits<typeof DIFF_OPTIONS, typeof DIFF_POSITIONALS>, true satisfies Fits<typeof HISTORY_OPTIONS>,
      true satisfies Fits<typeof RUN_OPTIONS, typeof RUN_POSITIONALS>, true satisfies Fits<typeof WATCH_OPTIONS, typeof WATCH_POSITIONALS>,
      true satisfies Fits<typeof EXPORT_OPTIONS>, true satisfies Fits<typeof SERVE_OPTIONS>, true satisfies Fits<typeof CGROUPS_OPTIONS, typeof CGROUPS_POSITIONALS>,
    ];
    expect(checked).toHaveLength(11);
  });

  it('names each option as yargs hands it to a command (camelCase), with its type', () => {
    const show: ArgsOf<typeof SHOW_OPTIONS, typeof SHOW_POSITIONALS> = { pid: '1', mappings: false, json: false, units: 'KiB', wide: false, procRoot: '/tmp/proc' };
    // @ts-expect-error: <pid> is demanded
    const withoutPid: ArgsOf<typeof SHOW_OPTIONS, typeof SHOW_POSITIONALS> = { mappings: false, json: false, units: 'KiB', wide: false };
    // @ts-expect-error: --units takes one of the units
    const badUnit: ArgsOf<typeof SHOW_OPTIONS, typeof SHOW_POSITIONALS> = { ...show, units: 'TiB' };
    // @ts-expect-error: the dashed name is not a key of the body's arguments
    const dashed: ArgsOf<typeof SHOW_OPTIONS, typeof SHOW_POSITIONALS> = { ...show, 'proc-root': '/tmp/proc' };
    // --pid's coerce makes it a list of numbers.
    const pids: ArgsOf<typeof REPORT_OPTIONS>['pid'] = [1, 2];
    expect([show, withoutPid, badUnit, dashed, pids]).toHaveLength(5);
  });
});

describe('readOptionTable: the values, keyed and coerced as yargs hands them', () => {
  it('no arguments: each default of the report, under its camelCase name', () => {
    expect(readOptionTable([], REPORT_OPTIONS)).toEqual(REPORT_DEFAULTS);
  });

  it.each([
    [['--proc-root', '/tmp/x'], { procRoot: '/tmp/x' }],
    [['-p', '3,4'], { pid: [3, 4] }],
    [['--pid=5'], { pid: [5] }],
  ])('%j', (argv, expected) => {
    expect(readOptionTable(argv, REPORT_OPTIONS)).toEqual({ ...REPORT_DEFAULTS, ...expected });
  });

  it('a coerce that throws is a doubt: yargs reads those arguments and says what was wrong', () => {
    expect(readOptionTable(['-p', 'x'], REPORT_OPTIONS)).toBeUndefined();
  });

  it("run's table: its defaults, -q read as --quiet", () => {
    expect(readOptionTable(['-q', '--json', 'run.json'], RUN_OPTIONS)).toEqual({ cgroup: true, mappings: false, units: 'auto', quiet: true, json: 'run.json' });
  });
});
