import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KernelOomLines, parseKilledLine, parseSummaryLine, type KernelOomKill } from '../../../src/kernel/kmsg/kernelOomLine.js';
import { parseKmsgRecord } from '../../../src/kernel/kmsg/kmsgRecord.js';
import { parseVmstatOomKills } from '../../../src/kernel/procfs/vmstatOomKills.js';
import { REPO } from '../../helpers/snapshots.js';

const SNAPSHOT = join(REPO, 'snapshots', 'oom-kill-v1-6.18');
const CHILD = '/process_api/1e671c9f0fc2f9550c3539b8101b7b31/oomtry-26124';

/** The records of a captured /dev/kmsg, as each read() returned them: a line, and its dictionary lines (a space first). */
function records(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    if (line.startsWith(' ')) out[out.length - 1] += `${line}\n`;
    else out.push(`${line}\n`);
  }
  return out;
}

describe('the kernel log of a real OOM kill (snapshots/oom-kill-v1-6.18: memscript writing 100 MiB in a 48 MiB v1 cgroup)', () => {
  const text = readFileSync(join(SNAPSHOT, 'kmsg'), 'utf8');

  it('yields one kill, the Killed line joined with its summary line: PID, comm, the kB figures as bytes, both memcgs', () => {
    const lines = new KernelOomLines();
    const kills: KernelOomKill[] = [];
    for (const record of records(text)) {
      const parsed = parseKmsgRecord(record);
      expect(parsed).toBeDefined();
      const kill = lines.take(parsed!.message);
      if (kill !== undefined) kills.push(kill);
    }
    // total-vm:104820kB, anon-rss:48896kB, file-rss:1356kB, shmem-rss:0kB, pgtables:136kB (times 1024).
    expect(kills).toEqual([{
      pid: 29377, name: 'memscript', message: 'Memory cgroup out of memory',
      totalVm: 107335680, anonRss: 50069504, fileRss: 1388544, shmemRss: 0, uid: 0, pageTables: 139264, oomScoreAdj: 0,
      constraint: 'CONSTRAINT_MEMCG', oomMemcg: CHILD, taskMemcg: CHILD,
      line: 'Memory cgroup out of memory: Killed process 29377 (memscript) total-vm:104820kB, anon-rss:48896kB, file-rss:1356kB, shmem-rss:0kB, UID:0 pgtables:136kB oom_score_adj:0',
    }]);
  });

  it('a record: its sequence number and time, the message without the dictionary lines', () => {
    expect(parseKmsgRecord('6,424,7613256514,-;oom-kill:constraint=CONSTRAINT_MEMCG\n SUBSYSTEM=x\n')).toEqual({
      sequence: 424, microseconds: 7613256514, message: 'oom-kill:constraint=CONSTRAINT_MEMCG', continued: false,
    });
    // A fragment of the record before (FLAGS "c"): the rest of a line longer than the kernel's buffer.
    expect(parseKmsgRecord('4,1846,1098335703,c;,task_memcg=\n')).toEqual({ sequence: 1846, microseconds: 1098335703, message: ',task_memcg=', continued: true });
    expect(parseKmsgRecord(' SUBSYSTEM=acpi\n')).toBeUndefined();
    expect(parseKmsgRecord('6,x,1,-;text\n')).toBeUndefined();
  });

  it("/proc/vmstat's oom_kill, read after the kill: 1; a kernel without the line (before 4.13): unknown", () => {
    expect(parseVmstatOomKills(readFileSync(join(SNAPSHOT, 'vmstat'), 'utf8'))).toBe(1);
    expect(parseVmstatOomKills('nr_free_pages 1\noom_kill_x 4\npgfault 2\n')).toBeUndefined();
    expect(parseVmstatOomKills('nr_free_pages 1\noom_kill 99999999999999999\n')).toBeUndefined();
  });
});

/* Lines written here in the kernel's formats (mm/oom_kill.c __oom_kill_process and dump_oom_summary, mm/memcontrol.c mem_cgroup_print_oom_context), with chosen figures. */
describe("the OOM killer's lines in their other forms", () => {
  it('a global OOM: "Out of memory", the summary says global_oom and names the task\'s memcg alone', () => {
    const lines = new KernelOomLines();
    expect(lines.take('oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/system.slice/postgres.service,task=postgres,pid=812,uid=113')).toBeUndefined();
    const kill = lines.take('Out of memory: Killed process 812 (postgres) total-vm:2260852kB, anon-rss:1048576kB, file-rss:12kB, shmem-rss:65536kB, UID:113 pgtables:2364kB oom_score_adj:-900');
    expect(kill).toMatchObject({
      pid: 812, name: 'postgres', message: 'Out of memory', anonRss: 1073741824, fileRss: 12288, shmemRss: 67108864, uid: 113, oomScoreAdj: -900,
      constraint: 'CONSTRAINT_NONE', taskMemcg: '/system.slice/postgres.service',
    });
    expect(kill!.oomMemcg).toBeUndefined();
  });

  it('a Killed line without its summary (the header is rate-limited), and a summary of another PID, stand alone', () => {
    const lines = new KernelOomLines();
    lines.take('oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/a,task_memcg=/a,task=x,pid=5,uid=0');
    const kill = lines.take('Out of memory (oom_kill_allocating_task): Killed process 6 (y) total-vm:4kB, anon-rss:0kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:0kB oom_score_adj:0');
    expect(kill).toMatchObject({ pid: 6, name: 'y', message: 'Out of memory (oom_kill_allocating_task)' });
    expect(kill!.taskMemcg).toBeUndefined();
  });

  it('a comm with parentheses, commas and spaces (a process names itself), and memcg paths with commas', () => {
    expect(parseKilledLine('Memory cgroup out of memory: Killed process 7 (a) (b, c) total-vm:8kB, anon-rss:4kB, file-rss:0kB, shmem-rss:0kB, UID:1000 pgtables:4kB oom_score_adj:1000'))
      .toMatchObject({ pid: 7, name: 'a) (b, c', anonRss: 4096, oomScoreAdj: 1000 });
    expect(parseSummaryLine('oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/a,b,task_memcg=/a,b/c,d,task=x,y,pid=9,uid=0'))
      .toEqual({ constraint: 'CONSTRAINT_MEMCG', oomMemcg: '/a,b', taskMemcg: '/a,b/c,d', task: 'x,y', pid: 9, uid: 0 });
  });

  it('lines that only look alike are not kills', () => {
    expect(parseKilledLine('memscript invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0')).toBeUndefined();
    expect(parseKilledLine('oom_reaper: reaped process 29377 (memscript), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB')).toBeUndefined();
    expect(parseKilledLine('Memory cgroup out of memory: Killed process 1 (x) total-vm:1kB')).toBeUndefined();
    expect(parseSummaryLine('oom-kill:constraint=CONSTRAINT_MEMCG,task=x,pid=abc,uid=0')).toBeUndefined();
  });
});

/**
 * Captured on this machine (kernel 6.18, cgroup v1) from /dev/kmsg, as each read() returned a record,
 * while memscript was killed in child memory cgroups limited to 16 MiB (test/cgroups/oom/kmsg/):
 *  - newline-name.kmsg: memscript run through a link named v, 0xff, newline, x, backslash, ")(" (the comm is the name exec'd);
 *  - rate-limited.kmsg: the last five of 20 kills in 4.5 s, one per cgroup c0..c19: the kernel printed
 *    the summary of the first two and rate-limited the header of the other three (10 in 5 s);
 *  - odd-cgroups.kmsg: a kill in a cgroup named "odd", 0xff, "\,= é", and one 18 levels of 250-byte
 *    names down (a path of 4,603 bytes): that summary comes in fragments, each path cut at ~1,000 bytes.
 */
describe('kills in captured kernel logs: names of any bytes, rate-limited summaries, odd and long cgroup paths', () => {
  const PROBE = '/process_api/fd0287922f57f9784ff4a973b19969c1';
  const killsIn = (file: string) => {
    const lines = new KernelOomLines();
    const kills: KernelOomKill[] = [];
    for (const record of records(readFileSync(join(import.meta.dirname, 'kmsg', file), 'utf8'))) {
      const parsed = parseKmsgRecord(record);
      expect(parsed).toBeDefined();
      const kill = lines.take(parsed!.message, parsed!.continued);
      if (kill !== undefined) kills.push(kill);
    }
    return kills;
  };
  // The comm's bytes v, 0xff, \n, x, \, ")(": as text, 0xff (not UTF-8) as \xNN, the newline and the backslash as they are.
  const ODD_COMM = 'v\\xff\nx\\)(';

  it.each([
    ['newline-name.kmsg', [[1930, ODD_COMM, `${PROBE}/fp-probe-1904/c0`]]],
    ['rate-limited.kmsg', [[2179, ODD_COMM, `${PROBE}/fp-probe-2068/c15`], [2185, ODD_COMM, `${PROBE}/fp-probe-2068/c16`], [2186, ODD_COMM, undefined], [2187, ODD_COMM, undefined], [2194, ODD_COMM, undefined]]],
  ] as [string, [number, string, string | undefined][]][])('%s: every Killed line is a kill, named', (file, expected) => {
    const kills = killsIn(file);
    expect(kills.map((kill) => [kill.pid, kill.name, kill.taskMemcg])).toEqual(expected);
    for (const kill of kills) {
      expect(kill).toMatchObject({ message: 'Memory cgroup out of memory', totalVm: 66732 * 1024, anonRss: 16256 * 1024, fileRss: 656 * 1024, uid: 0 });
      expect(kill.constraint).toBe(kill.taskMemcg === undefined ? undefined : 'CONSTRAINT_MEMCG');
    }
  });

  it('odd-cgroups.kmsg: a cgroup name of bytes that are not UTF-8, and a path the kernel cut short, in fragments joined', () => {
    const [odd, long] = killsIn('odd-cgroups.kmsg');
    expect(odd).toMatchObject({ pid: 8627, name: 'memscript', taskMemcg: `${PROBE}/fp-probe-8606/odd\\xff\\,= é`, oomMemcg: `${PROBE}/fp-probe-8606/odd\\xff\\,= é` });
    const path = `${PROBE}/fp-probe-8606/long/${Array(18).fill('L'.repeat(250)).join('/')}`;
    expect(long).toMatchObject({ pid: 8629, name: 'memscript', constraint: 'CONSTRAINT_MEMCG' });
    // Cut at the kernel's line length: a beginning of the path, and no cgroup's path itself.
    expect(long.taskMemcg!.length).toBeGreaterThan(900);
    expect(long.taskMemcg!.length).toBeLessThan(1100);
    expect(path.startsWith(long.taskMemcg!)).toBe(true);
  });

  it.each([
    ['a comm of 15 bytes, each escaped (60 characters)', 'Out of memory: Killed process 5 (\\xe2\\x80\\xae\\xe2\\x80\\xae\\xe2\\x80\\xae\\xe2\\x80\\xae\\xe2\\x80\\xae) total-vm:4kB, anon-rss:4kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:4kB oom_score_adj:0', '\u202e\u202e\u202e\u202e\u202e'],
    ['a backslash the kernel did not escape: not its line', 'Out of memory: Killed process 5 (a\\b) total-vm:4kB, anon-rss:4kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:4kB oom_score_adj:0', undefined],
    ['an escape of upper-case hex: not the kernel\'s', 'Out of memory: Killed process 5 (a\\xFF) total-vm:4kB, anon-rss:4kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:4kB oom_score_adj:0', undefined],
    ['an empty comm', 'Out of memory: Killed process 5 () total-vm:4kB, anon-rss:4kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:4kB oom_score_adj:0', ''],
  ])('%s', (_case, line, name) => {
    expect(parseKilledLine(line)?.name).toBe(name);
  });

  it('a summary that could not print a path ("(name too long)", "(error)") names none', () => {
    expect(parseSummaryLine('oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=(name too long),task_memcg=(error),task=x,pid=9,uid=0'))
      .toEqual({ constraint: 'CONSTRAINT_MEMCG', task: 'x', pid: 9, uid: 0 });
  });

  it('fragments of some other line do not join a summary, and a summary without its end is none', () => {
    const lines = new KernelOomLines();
    expect(lines.take('oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/a')).toBeUndefined();
    expect(lines.take('Memory cgroup out of memory: Killed process 6 (y) total-vm:4kB, anon-rss:0kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:0kB oom_score_adj:0')!.taskMemcg).toBeUndefined();
    expect(lines.take(',task=y,pid=7,uid=0', true)).toBeUndefined();
    expect(lines.take('Memory cgroup out of memory: Killed process 7 (y) total-vm:4kB, anon-rss:0kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:0kB oom_score_adj:0')!.taskMemcg).toBeUndefined();
  });
});
