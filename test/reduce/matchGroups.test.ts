/** Finding programs: --program NAME against group keys, and --match over members' names and command lines. */
import { describe, expect, it } from '@jest/globals';
import { keysNamed, matchGroups, matchNamed, measuredNameOf, namesProgram, processMatches, type TextPattern } from '../../src/reduce/matchGroups.js';
import { groupProcesses } from '../../src/reduce/groupProcesses.js';
import { emptyCounters } from '../../src/kernel/procfs/memoryCounters.js';
import type { ProcessSample } from '../../src/model/processSample.js';

/** A plain RegExp stands in for RE2 here: these patterns mean the same in both. */
const pattern = (source: string): TextPattern => ({ source, test: (text) => new RegExp(source).test(text) });

function sample(pid: number, exe: string, cmdline: string[], statusName = exe.slice(exe.lastIndexOf('/') + 1, exe.lastIndexOf('/') + 16)): ProcessSample {
  return { pid, startTime: pid, ppid: 1, statusName, exe, exeDeleted: false, cmdline, counters: { ...emptyCounters(), privateDirty: pid * 4096 }, estimated: false };
}

describe('namesProgram: which names find a group', () => {
  it.each([
    ['python3.11 longpy.py', 'python3.11 longpy.py', true],
    ['python3.11', 'python3.11 longpy.py', true],
    ['python3', 'python3.11 longpy.py', true],
    ['python', 'python3.11 longpy.py', true],
    ['longpy.py', 'python3.11 longpy.py', true],
    ['longpy', 'python3.11 longpy.py', false],
    ['pyth', 'python3.11 longpy.py', false],
    ['python3.1', 'python3.11 longpy.py', false],
    ['python3.', 'python3.11 longpy.py', false],
    ['node', 'node18 app.js', true],
    ['http.server', 'python3.11 -m http.server', true],
    ['-m http.server', 'python3.11 -m http.server', true],
    ['node', 'node', true],
    ['node', 'node server.js', true],
    ['nodejs', 'node server.js', false],
    ['memhog', 'memhog (deleted)', true],
    ['memhog (deleted)', 'memhog (deleted)', true],
    ['deleted', 'memhog (deleted)', false],
    ['', 'node', false],
    ['bash', 'bash', true],
    ['ba', 'bash', false],
  ])('%s names %s: %s', (name, key, expected) => {
    expect(namesProgram(name, key)).toBe(expected);
  });

  it('keysNamed lists every group a name finds, in order', () => {
    expect(keysNamed('python3', ['node', 'python3.11 a.py', 'python3.11 b.py', 'python2.7 c.py'])).toEqual(['python3.11 a.py', 'python3.11 b.py']);
  });
});

describe('--match over processes and groups', () => {
  const samples = [
    sample(10, '/usr/bin/python3.11', ['python3', '/srv/app.py', '--port=8080']),
    sample(11, '/usr/bin/python3.11', ['python3', '/srv/app.py', '--port=8081']),
    sample(12, '/usr/bin/python3.11', ['python3', '/srv/batch.py']),
    sample(13, '/usr/sbin/nginx', ['nginx: worker process']),
    sample(14, '/usr/sbin/nginx', ['nginx: master process', '/usr/sbin/nginx']),
  ];

  it('a process matches by its program name or by its command line (arguments joined by spaces)', () => {
    expect(samples.filter((s) => processMatches(s, pattern('app\\.py'))).map((s) => s.pid)).toEqual([10, 11]);
    expect(samples.filter((s) => processMatches(s, pattern('--port=8081'))).map((s) => s.pid)).toEqual([11]);
    expect(samples.filter((s) => processMatches(s, pattern('master process /usr'))).map((s) => s.pid)).toEqual([14]);
  });

  it('a group is kept whole when one of its members matches: the row reads as it does without --match', () => {
    const groups = groupProcesses(samples, 'program');
    const matched = matchGroups(groups, samples, pattern('8081'));
    expect(matched.map((group) => [group.name, group.pids, group.writable])).toEqual([['python3.11 app.py', [10, 11], 21 * 4096]]);
    expect(matchGroups(groups, samples, pattern('worker')).map((group) => group.name)).toEqual(['nginx']);
    expect(matchGroups(groups, samples, pattern('perl'))).toEqual([]);
    // Under --group user every process is root's (no uid here: "?"): one group, kept when any process matches.
    const byUser = groupProcesses(samples, 'user');
    expect(matchGroups(byUser, samples, pattern('batch')).map((group) => group.count)).toEqual([5]);
  });

  it('saved rows are matched by their name alone', () => {
    expect(matchNamed([{ name: 'python3.11 app.py' }, { name: 'nginx' }], pattern('^ng'))).toEqual([{ name: 'nginx' }]);
  });
});

describe('an estimated process keeps its program\'s name', () => {
  it.each([
    ['python3 x.py', ['python3.11 x.py', 'node'], 'python3.11 x.py'],
    ['python3 x.py', ['python3.11 y.py'], undefined],
    ['python3 x.py', ['python3.11 x.py', 'python3.12 x.py'], undefined],
    ['systemd-journal', ['systemd-journald'], 'systemd-journald'],
    ['bash', ['bashful'], undefined],
    ['node', ['node'], undefined],
  ])('%s beside %j: %s', (estimated, measured, expected) => {
    expect(measuredNameOf(estimated, measured)).toBe(expected);
  });

  it('grouped: the estimated group takes the measured name and stays a row of its own, marked', () => {
    const own = sample(20, '/usr/bin/python3.11', ['python3', 'x.py']);
    // Another user's: no exe link, the kernel's name "python3".
    const other = { ...sample(21, '', ['python3', 'x.py'], 'python3'), exe: undefined, estimated: true };
    const groups = groupProcesses([own, other], 'program');
    expect(groups.map((group) => [group.name, group.estimated, group.pids])).toEqual([['python3.11 x.py', false, [20]], ['python3.11 x.py', true, [21]]]);
    // Alone, it keeps the kernel's name: nothing says which python3 it is.
    expect(groupProcesses([other], 'program').map((group) => group.name)).toEqual(['python3 x.py']);
  });
});
