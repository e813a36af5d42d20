/** Mistakes on the command line, said for people: one line on stderr, exit 2, nothing on stdout. */
import { describe, expect, it } from '@jest/globals';
import { runCli } from '../helpers/snapshots.js';

describe('usage errors worded for people', () => {
  it.each([
    [['show'], 'show needs <pid>: footprint show <pid> (footprint show --help says more)'],
    [['diff', 'latest'], 'diff needs <new>: footprint diff <old> <new> (footprint diff --help says more)'],
    [['run', 'python3', '-c', 'print(1)'], "run: put -- before the command, so that its options are its own: footprint run [options] -- python3 -c 'print(1)'"],
    [['run', '--interval', '1s', 'sh', '-c', 'echo "a b"'], `run: put -- before the command, so that its options are its own: footprint run [options] -- sh -c 'echo "a b"'`],
    [['shw', '1'], 'unknown command "shw"; did you mean show?'],
    [['histroy'], 'unknown command "histroy"; did you mean history?'],
    [['frobnicate'], '"frobnicate" is not a command or an option (footprint --help lists them)'],
    [['-v'], 'unknown option -v (--version prints the version)'],
    [['save', '--verbos'], 'save: unknown option --verbos; did you mean --verbose?'],
    [['show', '1', '--mapping'], 'show: unknown option --mapping; did you mean --mappings?'],
    [['--sort'], '--sort needs a value (one of writable, private, shared, ram, pss, rss, swap, oom, count, name)'],
    [['-n', '3', '--units'], '--units needs a value (one of auto, B, KiB, MiB, GiB)'],
    [['watch', '--interval', '--program', 'x'], '--interval needs a value'],
    [['--sort=RAM'], '--sort: "RAM" is not one of writable, private, shared, ram, pss, rss, swap, oom, count, name'],
    [['history', '--json', '--html', 'page.html'], '--json and --html cannot be used together'],
    [['save', '-q', '-v'], '--quiet and --verbose cannot be used together'],
  ])('footprint %j', (args, line) => {
    const result = runCli(args);
    expect(result).toEqual({ status: 2, stdout: '', stderr: `footprint: ${line}\n` });
  });

  it("run's own words after -- are CMD's, never taken for footprint's options", () => {
    const result = runCli(['run', '--', 'sh', '-c', 'exit 3', '--sort']);
    expect(result.status).toBe(3);
  });
});
