/**
 * The live cgroup tests' one teardown (tearDownLive, test/helpers/memoryCgroups.ts),
 * for real, as root on this machine's v1 memory controller: a process in a
 * cgroup three levels below a top of the test's own is ended by its PID, the
 * top and everything below it removed (rmdir waits out the member's exit), a
 * temporary directory removed; and when a cgroup cannot be removed, the
 * directories are removed all the same and the error is the teardown's.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import { canMakeMemoryCgroups, makeChain, makeTop } from './liveCgroupTree.js';
import { liveLeftovers, removeCgroupDir, tearDownLive } from '../../helpers/memoryCgroups.js';
import { until } from '../../helpers/until.js';
import { tempDir } from '../../helpers/tempPaths.js';

/** This test's own leftovers, should an assertion fail before a teardown under test ran. */
const guard = liveLeftovers();
afterAll(() => tearDownLive(guard), 60_000);

(canMakeMemoryCgroups ? describe : describe.skip)("the live cgroup tests' teardown", () => {
  test('ends the member by PID, removes the tree below the top and the temporary directory', async () => {
    const left = liveLeftovers();
    const top = makeTop('footprint-teardown', left);
    guard.cgroups.push(top.dir);
    makeChain(top.dir, ['a', 'b', 'c'].map((name) => Buffer.from(name)));
    const leaf = join(top.dir, 'a', 'b', 'c');
    const member = spawn('sh', ['-c', `echo $$ > '${join(leaf, 'cgroup.procs')}' && exec sleep 600`], { stdio: 'ignore' });
    left.children.push(member);
    guard.children.push(member);
    await until('the member in the leaf cgroup', () => (readFileSync(join(leaf, 'cgroup.procs'), 'utf8').split('\n').includes(String(member.pid)) ? true : undefined), 20_000);
    const dir = tempDir('footprint-teardown-');
    writeFileSync(join(dir, 'file'), 'x');
    left.dirs.push(dir);
    guard.dirs.push(dir);

    await tearDownLive(left);
    expect(member.signalCode).toBe('SIGKILL');
    expect(existsSync(top.dir)).toBe(false);
    expect(existsSync(dir)).toBe(false);
    expect(left).toEqual({ children: [], cgroups: [], dirs: [] });
    // A second call has nothing left to do.
    await tearDownLive(left);
  }, 60_000);

  test('a cgroup it cannot remove: the directories are removed all the same, and the teardown fails with the reason', async () => {
    const left = liveLeftovers();
    const top = makeTop('footprint-teardown-busy', left);
    guard.cgroups.push(top.dir);
    // A member the teardown does not know of keeps the cgroup busy for as long as it lives: removal gives up at its deadline.
    const stranger = spawn('sh', ['-c', `echo $$ > '${join(top.dir, 'cgroup.procs')}' && exec sleep 600`], { stdio: 'ignore' });
    guard.children.push(stranger);
    await until('the stranger in the cgroup', () => (readFileSync(join(top.dir, 'cgroup.procs'), 'utf8').split('\n').includes(String(stranger.pid)) ? true : undefined), 20_000);
    const dir = tempDir('footprint-teardown-');
    left.dirs.push(dir);
    guard.dirs.push(dir);

    await expect(tearDownLive(left, 500)).rejects.toMatchObject({ code: 'EBUSY' });
    expect(existsSync(dir)).toBe(false);
    expect(existsSync(top.dir)).toBe(true);
    stranger.kill('SIGKILL');
    await until('the stranger gone', () => (stranger.signalCode !== null ? true : undefined), 20_000);
    removeCgroupDir(top.dir);
    expect(existsSync(top.dir)).toBe(false);
  }, 60_000);
});
