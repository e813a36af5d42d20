/**
 * The report's own options are read without yargs (src/cli/reportArguments.ts),
 * and everything that reader doubts goes to yargs. Both must give exactly what
 * yargs gave when it read every argument: test/fixtures/reportArguments.json
 * holds those outputs, recorded from the build of commit b87a83a
 * (test/fixtures/recordReportArguments.mjs), against snapshots/node-many-mappings;
 * the --help entries again whenever a command or a report option joins the list
 * it prints (issue 22: --system). Text reports are held to yargs' reading of the
 * same arguments now (their layout changed on purpose), JSON and CSV to the recording.
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { REPO, runCli } from '../helpers/snapshots.js';
import { readReportArguments } from '../../src/cli/reportArguments.js';
import { REPORT_DEFAULTS } from '../../src/cli/reportDefaults.js';
// @ts-expect-error: a plain .mjs script, for its list of invocations
import { argvOf } from '../fixtures/recordReportArguments.mjs';

interface Recorded {
  args: string[];
  status: number;
  stdout: string;
  stderr: string;
}

const RECORDED: Recorded[] = JSON.parse(readFileSync(`${REPO}/test/fixtures/reportArguments.json`, 'utf8'));

/** A JSON report without what differs from run to run (time, the scan's ms). */
function stableJson(text: string) {
  const { time, scan, system, ...rest } = JSON.parse(text);
  const { ms, ...counts } = scan;
  return { rest, counts, system };
}

/** A text report's table and its "Left out" line, without the scan's ms; the System block (issue 6, part 2) has grown since. */
function stableText(text: string) {
  const system = text.indexOf('\nSystem:');
  return (system < 0 ? text : text.slice(0, system)).replace(/measured in \d+ ms/, 'measured in N ms');
}

function expectSameReport(before: Recorded, now: { stdout: string }) {
  if (before.stdout.startsWith('{')) {
    const old = stableJson(before.stdout);
    const fresh = stableJson(now.stdout);
    expect(fresh.rest).toEqual(old.rest);
    expect(fresh.counts).toEqual(old.counts);
    // footprint.report/1 only grows: the fields it had keep their values.
    expect(fresh.system).toMatchObject(old.system);
  } else if (before.stdout.startsWith('name,')) {
    expect(now.stdout).toBe(before.stdout); // CSV: byte for byte
  } else {
    // Text: as yargs reads the same arguments now (a trailing `--` hands them to it). The tables were
    // redrawn on purpose since the recording (issue 22: each figure its own unit, no box), so the
    // recording holds their figures, not their layout.
    const byYargs = runCli([...argvOf(before.args), '--']);
    expect(byYargs.status).toBe(0);
    expect(stableText(now.stdout)).toBe(stableText(byYargs.stdout));
  }
}

const HELP_OR_VERSION = new Set(['--help', '-h', '--version']);

describe('every recorded invocation prints what it printed when yargs read all arguments', () => {
  it.each(RECORDED.map((run) => [run.args.join(' ') || '(none)', run]))('%s', (_name, before) => {
    const run = before as Recorded;
    const now = runCli(argvOf(run.args));
    expect(now.status).toBe(run.status);
    expect(now.stderr).toBe(run.stderr);
    const isReport = run.status === 0 && !run.args.some((arg) => HELP_OR_VERSION.has(arg));
    if (isReport) expectSameReport(run, now);
    else expect(now.stdout).toBe(run.stdout);
  });
});

describe('which parser reads them (FOOTPRINT_DEBUG_STARTUP=1)', () => {
  const readBy = (args: string[]) => {
    const run = runCli(['--proc-root', 'snapshots/node-many-mappings/proc', ...args], {
      env: { ...process.env, NO_COLOR: '1', FOOTPRINT_DEBUG_STARTUP: '1' },
    });
    return /arguments read by (.*)\n/.exec(run.stderr)?.[1];
  };

  it.each([
    [['--json']], [['--csv']], [['-n', '10', '--sort', 'ram']], [['--group', 'user']], [['-p', '11165']],
    [['-u', 'root']], [['--units', 'MiB']], [['--estimate', '--reverse']],
  ])('%j: the report bundle, without yargs', (args) => {
    expect(readBy(args)).toBe('the report bundle');
  });

  it.each([
    [['--help']], [['--version']], [['--bogus']], [['foo']], [['--sort', 'ram', '--sort', 'pss']], [['--top', '0']],
    [['--reverse=yes']], [['--', '--json']], [['show', '11165']], [['--procRoot', 'x']],
  ])('%j: yargs', (args) => {
    expect(readBy(args)).toBe('yargs');
  });
});

describe('readReportArguments: the report options yargs would give, or undefined', () => {
  it.each([
    [[], {}],
    [['--json'], { json: true }],
    [['-n', '10', '--sort', 'ram'], { top: 10, sort: 'ram' }],
    [['--top=3', '--csv', '--reverse'], { top: 3, csv: true, reverse: true }],
    [['-n5'], { top: 5 }],
    [['--group', 'cgroup', '--estimate'], { group: 'cgroup', estimate: true }],
    [['-p', '12, 34', '-u', 'www-data'], { pid: [12, 34], user: 'www-data' }],
    [['--proc-root', '/tmp/snap/proc', '--units', 'GiB'], { procRoot: '/tmp/snap/proc', units: 'GiB' }],
    [['--no-estimate', '--json=false'], { estimate: false, json: false }],
  ])('%j', (argv, expected) => {
    expect(readReportArguments(argv)).toEqual({ ...REPORT_DEFAULTS, pid: undefined, user: undefined, procRoot: undefined, top: undefined, ...expected });
  });

  it.each([
    [['--help']], [['-h']], [['--version']], [['show', '1']], [['foo']], [['--bogus']], [['-x']], [['--no-bogus']],
    [['--sort', 'RAM']], [['--sort']], [['--no-sort']], [['--group']], [['--units', 'mib']], [['--top', '0']], [['-n']],
    [['--top', 'x']], [['-p', 'x']], [['-p', '']], [['-u']], [['--json', '--json']], [['--reverse', '--no-reverse']],
    [['--reverse=yes']], [['-n', '1', '--top', '2']], [['--pid', '1', '-p', '2']], [['--']], [['--json', '--', 'x']],
    [['--procRoot', '/x']], [['--sort.key', 'ram']],
  ])('%j: handed to yargs', (argv) => {
    expect(readReportArguments(argv)).toBeUndefined();
  });
});
