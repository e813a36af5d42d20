import { afterAll, describe, expect, it } from '@jest/globals';
import { cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { procRoot, runCli, runJson } from '../helpers/snapshots.js';
import { tempDir } from '../helpers/tempPaths.js';

/*
 * snapshots/hostile-names (see snapshots/README.md):
 *   11300 python3 running "/tmp/fp-hostile/evil<ESC>[31m<LF>name.py", comm set to "evil<ESC>[31m<LF>name"
 *   11302 python3 -c ..., comm set to "a) (b c) R 1 2"
 *   11307 a copy of sleep named "/tmp/fp-hostile/evil<ESC>[31m<LF>sleep"
 */
const TREE = procRoot('hostile-names');
const SCRIPT_NAME = 'python3.11 evil\x1b[31m\nname.py';
const EXE_NAME = 'evil\x1b[31m\nsleep';

describe('hostile names in text output', () => {
  it.each([['program'], ['cmdline'], ['pid']])('--group %s: no raw ESC, one line per group', (groupBy) => {
    const result = runCli(['--proc-root', TREE, '--group', groupBy]);
    expect(result.status).toBe(0);
    expect(result.stdout).not.toContain('\x1b');
    // header, 3 groups, rule, total, (--group pid: the line saying this tree has no oom_score,) coverage line,
    // system line; then the parts of used memory, indented
    const lines = result.stdout.trimEnd().split('\n');
    const system = groupBy === 'pid' ? 8 : 7;
    expect(lines.findIndex((line) => line.startsWith('System: '))).toBe(system);
    expect(lines.slice(system + 1).every((line) => line.startsWith('  '))).toBe(true);
  });

  it('names are shown escaped, so the escape cannot be forged either', () => {
    const text = runCli(['--proc-root', TREE]).stdout;
    expect(text).toContain('  python3.11 evil\\e[31m\\nname.py (1)\n');
    expect(text).toContain('  evil\\e[31m\\nsleep (1)\n');
  });

  it('show: the title and the --mappings backings are escaped', () => {
    for (const args of [['show', '11307'], ['show', '11307', '--mappings'], ['show', '11300']]) {
      const result = runCli([...args, '--proc-root', TREE]);
      expect(result.status).toBe(0);
      expect(result.stdout).not.toContain('\x1b');
    }
    expect(runCli(['show', '11307', '--proc-root', TREE]).stdout.split('\n')[0]).toBe('PID 11307: evil\\e[31m\\nsleep');
  });
});

describe('hostile names in --json and --csv', () => {
  it('--json parses and round-trips the names', () => {
    const report = runJson(['--proc-root', TREE]);
    expect(report.groups.map((g: { name: string }) => g.name).sort()).toEqual([EXE_NAME, 'python3.11', SCRIPT_NAME].sort());
    const byCmdline = runJson(['--proc-root', TREE, '--group', 'cmdline']);
    expect(byCmdline.groups.map((g: { name: string }) => g.name)).toContain("/usr/bin/python3 '/tmp/fp-hostile/evil\x1b[31m\nname.py'");
  });

  it('--json carries no raw control character', () => {
    const { stdout } = runCli(['--proc-root', TREE, '--json']);
    // eslint-disable-next-line no-control-regex
    expect(stdout.replace(/\n/g, '')).not.toMatch(/[\x00-\x1f\x7f-\x9f]/);
  });

  it('--csv stays one line per group', () => {
    const { stdout, status } = runCli(['--proc-root', TREE, '--csv']);
    expect(status).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(1 + 3);
    expect(stdout).not.toContain('\x1b');
    expect(lines.map((line) => line.split(',')[0]).sort()).toEqual(['evil\\e[31m\\nsleep', 'name', 'python3.11', 'python3.11 evil\\e[31m\\nname.py']);
  });
});

describe('the comm, where the exe cannot be read', () => {
  // The same tree without the exe links: as for another user's process, the name is status's Name:.
  const copy = tempDir('footprint-hostile-');
  cpSync(TREE, copy, { recursive: true, verbatimSymlinks: true });
  for (const pid of [11300, 11302, 11307]) rmSync(join(copy, String(pid), 'exe'));
  afterAll(() => rmSync(copy, { recursive: true, force: true }));

  it('--json round-trips the comm that the kernel wrote as "evil\\e[31m\\\\nname"', () => {
    const names = runJson(['--proc-root', copy]).groups.map((g: { name: string }) => g.name).sort();
    expect(names).toEqual(['a) (b c) R 1 2', 'evil\x1b[31m\nname', 'evil\x1b[31m\nsleep'].sort());
  });

  it('text shows it escaped', () => {
    const { stdout } = runCli(['--proc-root', copy]);
    expect(stdout).not.toContain('\x1b');
    expect(stdout).toContain('  evil\\e[31m\\nname (1)\n');
    expect(stdout).toContain('  a) (b c) R 1 2 (1)\n');
  });
});
