import { describe, expect, it } from '@jest/globals';
import { attributeKills, noticeKills, ownKillRises, type KillReading } from '../../../src/cgroups/core/noticeKills.js';
import type { OomCounts } from '../../../src/cgroups/readOomCounts.js';
import type { KernelOomKill } from '../../../src/kernel/kmsg/kernelOomLine.js';
import { describeOomMark } from '../../../src/render/describeOomMark.js';
import { group, MiB, report } from '../../helpers/storeFixtures.js';

function counts(machine: number | undefined, cgroups: Record<string, [kills: number | undefined, procs: number[]]>): OomCounts {
  return { machine, cgroups: new Map(Object.entries(cgroups).map(([path, [oomKills, procs]]) => [path, { oomKills, procs }])) };
}

const NOTICED = new Date('2026-12-01T10:00:05Z');
// "worker" is PID 300 alone, "web" PIDs 400 and 401.
const before = report('2026-12-01T10:00:00Z', [{ ...group('worker', 60 * MiB), pids: [300] }, { ...group('web', 8 * MiB, 0, 2), pids: [400, 401] }]);

/** The mark of a span with nothing carried from the reading before. */
const notice = (reading: Omit<KillReading, 'carried'>) => noticeKills({ ...reading, carried: 0 }).mark;

function kernelKill(pid: number, name: string, taskMemcg?: string): KernelOomKill {
  return {
    pid, name, message: 'Memory cgroup out of memory', totalVm: 100 * MiB, anonRss: 48 * MiB, fileRss: MiB, shmemRss: 0, uid: 0, pageTables: 131072, oomScoreAdj: 0,
    ...(taskMemcg === undefined ? {} : { taskMemcg, oomMemcg: taskMemcg, constraint: 'CONSTRAINT_MEMCG' }), line: `Memory cgroup out of memory: Killed process ${pid} (${name}) ...`,
  };
}

describe('which cgroup an OOM kill happened in', () => {
  it('v2 counts a kill in every ancestor below the root: each rise less its children\'s is the cgroup\'s own', () => {
    const then = counts(10, { '/': [undefined, [1]], '/a': [2, []], '/a/b': [1, [300]], '/a/c': [0, [400]] });
    const now = counts(13, { '/': [undefined, [1]], '/a': [5, []], '/a/b': [3, []], '/a/c': [1, [400]] });
    // /a rose 3 = /a/b's 2 + /a/c's 1: nothing of its own.
    expect(ownKillRises(then, now, 'subtree')).toEqual(new Map([['/a/b', 2], ['/a/c', 1]]));
  });

  it('v1 counts it in the victim\'s cgroup alone: each rise is its own; a cgroup made since counts all its kills', () => {
    const then = counts(10, { '/': [0, []], '/a': [0, []], '/a/b': [1, [300]] });
    const now = counts(12, { '/': [0, []], '/a': [0, []], '/a/b': [2, []], '/a/new': [1, []] });
    expect(ownKillRises(then, now, 'own')).toEqual(new Map([['/a/b', 1], ['/a/new', 1]]));
  });
});

/** A reading: /proc/vmstat before the walk, each cgroup's own count (v1), vmstat after. */
function reading(machineBeforeWalk: number, cgroups: Record<string, number>, machine: number): OomCounts {
  return { machineBeforeWalk, machine, cgroups: new Map(Object.entries(cgroups).map(([path, oomKills]) => [path, { oomKills }])) };
}

describe('each kill said once: the machine\'s counter read before and after the cgroups\' (attributeKills)', () => {
  const start = reading(5, { '/': 0, '/a': 0 }, 5);
  // [case, readings after the start, expected [own, outside, carried] of each span]
  const cases: [string, OomCounts[], [Record<string, number>, number, number][]][] = [
    ['a kill during the walk, after its cgroup was read: carried, then its cgroup\'s', [reading(5, { '/': 0, '/a': 0 }, 6), reading(6, { '/': 0, '/a': 1 }, 6)], [[{}, 0, 1], [{ '/a': 1 }, 0, 0]]],
    ['a kill during the walk, before its cgroup was read: its cgroup\'s at once', [reading(5, { '/': 0, '/a': 1 }, 6), reading(6, { '/': 0, '/a': 1 }, 6)], [[{ '/a': 1 }, 0, 0], [{}, 0, 0]]],
    ['a kill between readings that no cgroup shows: outside at once', [reading(6, { '/': 0, '/a': 0 }, 6)], [[{}, 1, 0]]],
    ['a kill during the walk whose cgroup is gone by the next reading: outside then', [reading(5, { '/': 0, '/a': 0 }, 6), reading(6, { '/': 0 }, 6)], [[{}, 0, 1], [{}, 1, 0]]],
    ['two during the walk, one shown at once, one the next time; one outside meanwhile', [reading(5, { '/': 0, '/a': 1 }, 7), reading(8, { '/': 0, '/a': 2 }, 8)], [[{ '/a': 1 }, 0, 1], [{ '/a': 1 }, 1, 0]]],
    ['a cgroup made since with kills older than the span: never less than nought carried', [reading(6, { '/': 0, '/a': 0, '/new': 3 }, 6)], [[{ '/new': 3 }, 0, 0]]],
  ];
  it.each(cases)('%s', (_name, readings, expected) => {
    let before = start;
    let carried = 0;
    const spans = readings.map((after) => {
      const span = attributeKills(before, after, 'own', carried);
      before = after;
      carried = span.carried;
      return [Object.fromEntries(span.own), span.outside, span.carried];
    });
    expect(spans).toEqual(expected);
  });

  it('without the machine\'s counter: nothing outside, nothing carried', () => {
    expect(attributeKills({ cgroups: new Map([['/a', { oomKills: 0 }]]) }, { cgroups: new Map([['/a', { oomKills: 1 }]]) }, 'own', 0))
      .toEqual({ own: new Map([['/a', 1]]), outside: 0, carried: 0 });
  });
});

describe('the OOM mark of the report before a kill', () => {
  it('nothing rose: no mark', () => {
    const same = counts(3, { '/a': [1, [300]] });
    expect(notice({ before: same, after: same, kills: 'own', kernelKills: [], report: before, noticedAt: NOTICED })).toBeUndefined();
  });

  it('the kernel\'s line that names the cgroup is the victim, with its figures at the kill and its last ones in the report', () => {
    const mark = notice({
      before: counts(0, { '/a': [0, [300, 301]] }), after: counts(1, { '/a': [1, [301]] }), kills: 'own',
      kernelKills: [kernelKill(300, 'worker', '/a')], report: before, noticedAt: NOTICED,
    });
    expect(mark).toEqual({
      noticedAt: '2026-12-01T10:00:05.000Z', machineKills: 1,
      kills: [{
        cgroup: '/a', count: 1,
        victims: [{
          pid: 300, name: 'worker', by: 'kernel', kernelLine: 'Memory cgroup out of memory: Killed process 300 (worker) ...',
          atKill: { anonRss: 48 * MiB, fileRss: MiB, shmemRss: 0, totalVm: 100 * MiB, uid: 0, oomScoreAdj: 0 },
          group: 'worker', groupProcesses: 1,
          lastSeen: { writable: 60 * MiB, privateClean: 4096, private: 60 * MiB + 4096, shared: 0, ram: 60 * MiB + 4096, pss: 60 * MiB + 4096, rss: 60 * MiB + 4096, swap: 0 },
        }],
      }],
    });
    expect(describeOomMark(mark!)).toBe('OOM kill in /a: PID 300 (worker)');
  });

  it('without the kernel\'s line (not root): the one process gone from the cgroup, named by its group; a group of two gives no figures of its own', () => {
    const mark = notice({
      before: counts(4, { '/web': [0, [400, 401]] }), after: counts(5, { '/web': [1, [400]] }), kills: 'subtree', kernelKills: [], report: before, noticedAt: NOTICED,
    });
    expect(mark!.kills).toEqual([{ cgroup: '/web', count: 1, victims: [{ pid: 401, by: 'gone', name: 'web', group: 'web', groupProcesses: 2 }] }]);
  });

  it('more gone than killed: no victim, but the processes gone are listed', () => {
    const mark = notice({
      before: counts(4, { '/web': [0, [400, 401, 402]] }), after: counts(5, { '/web': [1, [400]] }), kills: 'subtree', kernelKills: [], report: before, noticedAt: NOTICED,
    });
    expect(mark!.kills).toEqual([{ cgroup: '/web', count: 1, victims: [], gone: [401, 402] }]);
    expect(describeOomMark(mark!)).toBe('OOM kill in /web: victim not known');
  });

  it('a machine-wide rise that no cgroup counter shows: a kill outside them, the kernel\'s unclaimed line its victim', () => {
    const kill = kernelKill(300, 'worker');
    const mark = notice({
      before: counts(7, { '/a': [1, [401]] }), after: counts(9, { '/a': [2, []] }), kills: 'own',
      kernelKills: [{ ...kill, taskMemcg: '/other' }, { ...kernelKill(401, 'web'), taskMemcg: '/a' }], report: before, noticedAt: NOTICED,
    });
    expect(mark!.machineKills).toBe(2);
    expect(mark!.kills.map((each) => [each.cgroup, each.count, each.victims.map((victim) => victim.pid)])).toEqual([['/a', 1, [401]], [undefined, 1, [300]]]);
    expect(describeOomMark(mark!)).toBe('2 OOM kills: 1 in /a: PID 401 (web); 1 outside the cgroups read: PID 300 (worker)');
  });
});

describe('victims named from Killed lines without their summary (rate-limited by the kernel)', () => {
  const plain = (pid: number, name: string) => kernelKill(pid, name);
  // The machine's counter: every kill in the cgroups, none outside.
  const total = (cgroups: Record<string, [number, number[]]>) => Object.values(cgroups).reduce((sum, [kills]) => sum + kills, 0);
  const span = (kernelKills: KernelOomKill[], beforeCgroups: Record<string, [number, number[]]>, afterCgroups: Record<string, [number, number[]]>) =>
    notice({ before: counts(total(beforeCgroups), beforeCgroups), after: counts(total(afterCgroups), afterCgroups), kills: 'own', kernelKills, report: before, noticedAt: NOTICED })!;
  const named = (mark: NonNullable<ReturnType<typeof notice>>) => mark.kills.map((kill) => [kill.cgroup, kill.count, kill.victims.map((victim) => `${victim.pid} ${victim.name} ${victim.by}`)]);

  it('a PID that was a member at either reading, even one still there (killed, not yet exited) or never seen gone', () => {
    const mark = span([plain(300, 'worker'), plain(401, 'web'), plain(402, 'web')], { '/a': [0, [300]], '/b': [0, []] }, { '/a': [1, [300]], '/b': [2, [401, 402]] });
    expect(named(mark)).toEqual([['/a', 1, ['300 worker kernel']], ['/b', 2, ['401 web kernel', '402 web kernel']]]);
  });

  it('the one cgroup still lacking victims takes the cgroup-limit lines no cgroup claimed, when exactly as many', () => {
    // 20 kills of processes started and killed between two readings: no membership to go by.
    const lines = Array.from({ length: 3 }, (_, index) => plain(500 + index, 'job'));
    expect(named(span(lines, { '/a': [17, []] }, { '/a': [20, []] }))).toEqual([['/a', 3, ['500 job kernel', '501 job kernel', '502 job kernel']]]);
  });

  it('two cgroups lacking victims: the lines are not shared out by guess', () => {
    const mark = span([plain(500, 'job'), plain(501, 'job')], { '/a': [0, []], '/b': [0, []] }, { '/a': [1, []], '/b': [1, []] });
    expect(named(mark)).toEqual([['/a', 1, []], ['/b', 1, []]]);
  });

  it('a summary whose path the kernel cut short (no cgroup read) is placed by membership', () => {
    const cut = { ...kernelKill(300, 'worker', '/long/LLLL'), taskMemcg: '/long/LL' };
    expect(named(span([cut], { '/long/LLLL': [0, [300]] }, { '/long/LLLL': [1, []] }))).toEqual([['/long/LLLL', 1, ['300 worker kernel']]]);
  });

  it('a line whose kill is counted at the next reading is left unclaimed, for it', () => {
    const result = noticeKills({
      before: counts(0, { '/a': [0, [300]], '/b': [0, [401]] }), after: counts(1, { '/a': [1, []], '/b': [0, [401]] }), kills: 'own', carried: 0,
      kernelKills: [kernelKill(300, 'worker', '/a'), kernelKill(401, 'web', '/b')], report: before, noticedAt: NOTICED,
    });
    expect(result.mark!.kills).toHaveLength(1);
    expect(result.unclaimed.map((kill) => kill.pid)).toEqual([401]);
  });
});
