import { describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { REPO, runCli, runJson } from '../helpers/snapshots.js';

const tree = (name: string) => join(REPO, 'snapshots', name, 'cgroup');

describe('footprint cgroups on captured cgroup v2 trees', () => {
  it('after 5.19: every cgroup, charge, limits, headroom, peak and OOM kills from its own files (JSON)', () => {
    const document = runJson(['cgroups', '--cgroup-root', tree('cgroup-v2-6.6')]);
    expect(document).toMatchObject({ schema: 'footprint.cgroups/1', hierarchy: { version: 2, root: '/', offline: true }, processes: null, cgroupsLeftOut: 0 });
    const rows = Object.fromEntries(document.cgroups.map((row: any) => [row.path, row]));
    expect(document.cgroups.map((row: any) => row.path)).toEqual(['/', '/system.slice', '/system.slice/postgres.service', '/system.slice/nginx.service']);
    expect(rows['/'].charge).toBeUndefined();
    expect(rows['/system.slice/nginx.service']).toMatchObject({
      depth: 2, version: 2,
      charge: { charge: 91086848, source: 'memory.current', workingSet: 82698240, inactiveFile: 8388608 },
      limits: { max: 134217728, high: 117440512, low: 0, min: 0 },
      // 134217728 - 91086848 = 43130880, 32.1% of memory.max.
      headroom: 43130880, headroomPercent: 32.1, peak: 104857600,
      oom: { oomKills: 1, ooms: 1, high: 14, max: 2 },
      unreadable: [],
    });
    expect(rows['/system.slice/postgres.service']).toMatchObject({ limits: { max: null, high: null }, peak: 140509184, oom: { oomKills: 0 } });
    expect(rows['/system.slice/postgres.service'].headroom).toBeUndefined();
  });

  it('before 5.18: no memory.peak, so no peak, and memory.events without oom_group_kill', () => {
    const document = runJson(['cgroups', '--cgroup-root', tree('cgroup-v2-5.15'), '--flat']);
    const nginx = document.cgroups.find((row: any) => row.path === '/system.slice/nginx.service');
    expect(nginx.peak).toBeUndefined();
    expect(nginx.charge.charge).toBe(89972736);
    // 134217728 - 89972736 = 44244992: 33.0%.
    expect(nginx).toMatchObject({ headroom: 44244992, headroomPercent: 33 });
    // Flat: ranked by charge, the root (no charge) last.
    expect(document.cgroups.map((row: any) => row.path)).toEqual(['/system.slice', '/system.slice/postgres.service', '/system.slice/nginx.service', '/']);
  });

  it('the text tree indents, --sort headroom puts the cgroup closest to its limit first, -n keeps N', () => {
    const text = runCli(['cgroups', '--cgroup-root', tree('cgroup-v2-6.6'), '--flat', '--sort', 'headroom', '-n', '1']);
    expect(text.status).toBe(0);
    const lines = text.stdout.split('\n');
    expect(lines[1]).toMatch(/^CGROUP +CHARGE +LIMIT +HEADROOM +PEAK +OOM KILLS +PROCS +WRITABLE +NEXT VICTIM$/);
    expect(lines[2]).toMatch(/^\/system.slice\/nginx.service +86.9 MiB +128.0 MiB \(high 112.0 MiB\) +41.1 MiB \(32.1%\) +100.0 MiB +1 +- +- +-$/);
    // -n on a pipe: the rest are counted, not shown.
    expect(lines[3]).toBe('… 3 more cgroups: --all or -n N shows them.');
    expect(lines[4]).toMatch(/^CHARGE: memory.current/);
    const treeText = runCli(['cgroups', '--cgroup-root', tree('cgroup-v2-6.6'), '--depth', '1']).stdout.split('\n');
    expect(treeText.slice(2, 4).map((line) => /^ *\S+/.exec(line)![0])).toEqual(['/', '  system.slice']);
    expect(treeText[4]).toMatch(/^CHARGE:/);
  });

  it('one cgroup part by part: the parts, the total, the working-set line', () => {
    const result = runCli(['cgroups', '--cgroup-root', tree('cgroup-v2-6.6'), '/system.slice/nginx.service']);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^other kernel memory: pipes, io_uring, bpf, KVM +1\.0 MiB +1\.2% +kernel - the kernel parts above/m);
    expect(result.stdout).toMatch(/^charged outside every counter: per-CPU charge batches +120\.0 KiB +0\.1% +memory.current - anon - file - kernel - sock/m);
    expect(result.stdout).toMatch(/^charge +86\.9 MiB +memory.current$/m);
    expect(result.stdout).not.toMatch(/The parts add up to/);
    expect(result.stdout).toContain('memory.current 86.9 MiB - inactive file 8.0 MiB = 78.9 MiB');
    expect(result.stdout).toContain('Limit: 128.0 MiB, high 112.0 MiB, headroom 41.1 MiB (32.1%), peak 100.0 MiB, OOM kills 1.');
  });

  it('CSV: integers, "none" for no limit, empty where unknown', () => {
    const csv = runCli(['cgroups', '--cgroup-root', tree('cgroup-v2-6.6'), '--csv', '--flat']).stdout.split('\n');
    expect(csv[0]).toBe('path,depth,charge,charge_source,limit,high,headroom,headroom_percent,peak,oom_kills,processes,measured,writable,next_victim_pid,next_victim_oom_score');
    expect(csv).toContain('/system.slice/nginx.service,2,91086848,memory.current,134217728,117440512,43130880,32.1,104857600,1,,,,,');
    expect(csv).toContain('/system.slice/postgres.service,2,129040384,memory.current,none,none,,,140509184,0,,,,,');
  });

  it.each([
    [['cgroups', '--cgroup-root', '/nonexistent-tree'], 2, /^footprint: --cgroup-root \/nonexistent-tree: not a memory cgroup tree/],
    [['cgroups', '--cgroup-root', tree('cgroup-v2-6.6'), '/system.slice/none.service'], 2, /^footprint: cgroups: no memory cgroup \/system.slice\/none.service under /],
    [['cgroups', '--cgroup-root', tree('cgroup-v2-6.6'), 'system.slice'], 2, /^footprint: cgroups: "system.slice" is not a cgroup path/],
    [['cgroups', '--cgroup-root', tree('cgroup-v2-6.6'), '/system.slice/../..'], 2, /has \. or \.\. in it/],
    [['cgroups', '--cgroup-root', tree('cgroup-v2-6.6'), '--json', '--csv'], 2, /--json and --csv cannot be used together/],
    [['cgroups', '--depth', '-1'], 2, /--depth: "-1" is not a whole number/],
    [['cgroups', '--sort', 'ram'], 2, /--sort: "ram" is not one of charge, /],
  ])('%j: exit %d, one line', (args, status, message) => {
    const result = runCli(args);
    expect(result.status).toBe(status);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});

describe('footprint cgroups on a captured cgroup v1 tree (this machine, 6.18)', () => {
  /*
   * By hand from snapshots/cgroup-v1-6.18/cgroup (bytes): worker/ holds memscript (w32) alone.
   * worker: charge = total_rss 33624064 + total_cache 4096 + kmem 118784 = 33746944; usage_in_bytes 33816576
   *   (69632, 17 pages, charged ahead by the CPUs: 0.2%); no limit, soft limit 50331648; peak 33816576.
   * top: 33624064 + 4096 + kmem 131072 = 33759232; usage 34078720; limit 67108864: headroom 67108864 - 34078720
   *   = 33030144, 49.2%.
   */
  it('charge from the stats and kmem, headroom from the counter, the soft limit beside', () => {
    const document = runJson(['cgroups', '--cgroup-root', tree('cgroup-v1-6.18'), '--flat']);
    expect(document.hierarchy).toMatchObject({ version: 1, offline: true });
    const [top, worker] = document.cgroups;
    expect(top).toMatchObject({
      path: '/', limits: { max: 67108864, high: null }, headroom: 33030144, headroomPercent: 49.2, peak: 34078720,
      charge: { charge: 33759232, counter: 34078720, source: 'memory.stat+kmem' }, oom: { oomKills: 0, killDisabled: false, underOom: false },
    });
    expect(worker).toMatchObject({ path: '/worker', limits: { max: null, high: 50331648 }, peak: 33816576, charge: { charge: 33746944, counter: 33816576 } });
    expect(worker.headroom).toBeUndefined();
    const parts = Object.fromEntries(worker.charge.parts.map((part: { key: string; bytes: number }) => [part.key, part.bytes]));
    expect(parts).toEqual({ anon: 33624064, shmem: 0, fileActive: 0, fileInactive: 4096, fileOffLru: 0, kernel: 118784 });
    // Within 1% of the kernel's counter: 69632 of 33816576.
    expect(Math.abs(worker.charge.charge - worker.charge.counter)).toBeLessThanOrEqual(0.01 * worker.charge.counter);
    // cAdvisor on v1: usage_in_bytes - total_inactive_file.
    expect(worker.charge.workingSet).toBe(33816576 - 4096);
  });

  it('the text tree: v1 column sources, the soft limit, no limit for the child', () => {
    const lines = runCli(['cgroups', '--cgroup-root', tree('cgroup-v1-6.18')]).stdout.split('\n');
    expect(lines[0]).toBe(`cgroup v1 memory hierarchy at ${tree('cgroup-v1-6.18')}`);
    expect(lines[2]).toMatch(/^\/ +32\.2 MiB +64\.0 MiB +31\.5 MiB \(49\.2%\) +32\.5 MiB +0 +- +- +-$/);
    expect(lines[3]).toMatch(/^ {2}worker +32\.2 MiB +none \(soft 48\.0 MiB\) +no limit +32\.3 MiB +0 +- +- +-$/);
    expect(lines[4]).toMatch(/^CHARGE: total_rss \+ total_cache of memory.stat \+ memory.kmem.usage_in_bytes/);
  });
});
