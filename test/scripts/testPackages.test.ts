/**
 * scripts/testPackages.mjs, npm test's first step, on a machine without the
 * peers: PATH holds only node, so no package's command is found (the two
 * packages known by a file, libc6-dev and time, are found by that file).
 * Without root it stops at once with one line; as root without apt-get, too.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import { AS_NOBODY } from '../helpers/liveProcesses.js';
import { tempDir } from '../helpers/tempPaths.js';

// A world-readable copy: the clone may sit where nobody cannot read.
const dir = tempDir('footprint-testpackages-');
chmodSync(dir, 0o755);
copyFileSync('scripts/testPackages.mjs', join(dir, 'testPackages.mjs'));
chmodSync(join(dir, 'testPackages.mjs'), 0o644);
const bin = join(dir, 'bin');
spawnSync('mkdir', [bin]);
chmodSync(bin, 0o755);
symlinkSync(process.execPath, join(bin, 'node'));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SETPRIV = spawnSync('sh', ['-c', 'command -v setpriv'], { encoding: 'utf8' }).stdout.trim();
const MISSING = 'gcc, util-linux, procps, python3, smem, smemstat, tmux, chromium, prometheus, prometheus-node-exporter, man-db, openssl';
const INSTALL = MISSING.replaceAll(',', '');

function check(asNobody: boolean) {
  // setpriv by its full path: the child's PATH (which spawn searches) holds only node.
  const dropPrivileges = [SETPRIV, ...AS_NOBODY.slice(1)];
  const command = [...(asNobody ? dropPrivileges : []), process.execPath, join(dir, 'testPackages.mjs')];
  return spawnSync(command[0], command.slice(1), { encoding: 'utf8', cwd: dir, env: { PATH: bin }, timeout: 30_000 });
}

describe('the missing test packages are named in one line', () => {
  test('as nobody: exit 1, not root, and the command that installs them', () => {
    const result = check(true);
    expect(result.stderr).toBe(`footprint tests need ${MISSING} (not root); install them with: sudo apt-get install -y --no-install-recommends ${INSTALL}\n`);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
  });

  test('as root where apt-get is not on PATH: exit 1, nothing installed', () => {
    const result = check(false);
    expect(result.stderr).toBe(`footprint tests need ${MISSING} (no apt-get here); install them with: sudo apt-get install -y --no-install-recommends ${INSTALL}\n`);
    expect(result.status).toBe(1);
  });

  test('on this machine (npm test ran it first), nothing is missing: exit 0, silent', () => {
    const result = spawnSync(process.execPath, ['scripts/testPackages.mjs'], { encoding: 'utf8' });
    expect(result).toMatchObject({ status: 0, stdout: '', stderr: '' });
  });
});
