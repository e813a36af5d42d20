import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { csvField } from '../../src/render/reportCsv.js';
import { runCli } from '../helpers/storeFixtures.js';

/*
 * CSV injection (OWASP): a cell that starts with =, +, -, @, tab or CR is a
 * formula to a spreadsheet. Text cells that start so get a leading ' and are
 * quoted; byte counts are numbers and are never touched.
 */
describe('csvField', () => {
  test.each([
    ['=HYPERLINK("http://x","y")', `"'=HYPERLINK(""http://x"",""y"")"`],
    ['+1+2', `"'+1+2"`],
    ['-bash', `"'-bash"`],
    ['@SUM(A1)', `"'@SUM(A1)"`],
    // Tab and CR are escaped first (no raw control character leaves footprint), so the cell starts with a backslash.
    ['\tcmd', '\\tcmd'],
    ['\rcmd', '\\rcmd'],
    ['postgres', 'postgres'],
    ['a,b', '"a,b"'],
    ['a=b', 'a=b'],
    ['python3.11 -m http.server', 'python3.11 -m http.server'],
  ])('%j -> %s', (name, cell) => {
    expect(csvField(name)).toBe(cell);
  });
});

describe('--csv of real processes named like formulas', () => {
  const children: ChildProcess[] = [];
  const names = ['=1+2', '-sleep', '@SUM(A1)', '+cmd'];

  beforeAll(async () => {
    for (const name of names) {
      // bash's exec -a sets argv[0]: the command line footprint groups by.
      const child = spawn('bash', ['-c', `exec -a '${name}' sleep 600`], { stdio: 'ignore' });
      children.push(child);
    }
    // Until each has exec'd: its cmdline is the chosen name.
    for (const child of children) {
      const deadline = Date.now() + 20_000;
      while (!readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').startsWith(names[children.indexOf(child)])) {
        if (Date.now() > deadline) throw new Error(`${child.pid} did not exec`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
  });

  afterAll(() => {
    for (const child of children) child.kill('SIGKILL');
  });

  test('each name cell is neutralised and quoted; the figures stay plain integers', () => {
    const pids = children.map((child) => child.pid).join(',');
    const result = runCli(['--csv', '--group', 'cmdline', '--pid', pids, '--sort', 'name']);
    expect([result.status, result.stderr]).toEqual([0, '']);
    const rows = result.stdout.trimEnd().split('\n').slice(1);
    const cells = rows.map((row) => /^("(?:[^"]|"")*"|[^",]*),(.*)$/.exec(row)!);
    // @SUM(A1) has parentheses, so the command line shows it shell-quoted: the cell starts with ' already, no formula.
    expect(cells.map((match) => match[1]).sort()).toEqual([`"'+cmd 600"`, `"'-sleep 600"`, `"'=1+2 600"`, `'@SUM(A1)' 600`]);
    for (const match of cells) {
      const [count, pid, writable] = match[2].split(',');
      expect(count).toBe('1');
      expect(children.map((child) => String(child.pid))).toContain(pid);
      expect(writable).toMatch(/^[1-9]\d*$/);
    }
  });
});
