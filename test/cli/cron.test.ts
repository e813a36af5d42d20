import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, lstatSync, readFileSync, readdirSync, symlinkSync, unlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BIN, tempDir } from '../helpers/storeFixtures.js';

const README = readFileSync(resolve('README.md'), 'utf8');
const INSTALLED = '/usr/bin/footprint';

/** The body of the first fenced block of `language` after `heading`. */
function block(language: string, after: string): string {
  const start = README.indexOf(after);
  const match = new RegExp('```' + language + '\\n([\\s\\S]*?)```').exec(README.slice(start));
  if (start < 0 || !match) throw new Error(`README has no ${language} block after ${after}`);
  return match[1];
}

/** Run as cron would: an empty environment but PATH and HOME, no terminal. */
function runLikeCron(command: string, home: string) {
  return spawnSync('env', ['-i', 'PATH=/usr/bin:/bin', `HOME=${home}`, 'sh', '-c', command], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

describe('the README daily-report recipes', () => {
  let linked = false;
  beforeAll(() => {
    // .ci installs with `npm install -g`; when it has not, stand in for the install with a link to this checkout.
    if (!existsSync(INSTALLED) && process.getuid?.() === 0) {
      symlinkSync(BIN, INSTALLED);
      linked = true;
    }
  });
  afterAll(() => {
    if (linked && lstatSync(INSTALLED).isSymbolicLink()) unlinkSync(INSTALLED);
  });

  test('the crontab line works as it stands in a bare cron environment', () => {
    const lines = block('crontab', '### From cron').trim().split('\n');
    expect(lines).toHaveLength(1);
    const fields = lines[0].split(/\s+/);
    expect(fields.slice(0, 5)).toEqual(['0', '3', '*', '*', '*']);
    const command = lines[0].replace(/^(\S+\s+){5}/, '');
    expect(command.startsWith('/usr/bin/footprint ')).toBe(true);
    const home = tempDir('footprint-cron-');
    for (const run of [1, 2]) {
      const result = runLikeCron(command, home);
      expect([result.status, result.stdout, result.stderr, run]).toEqual([0, '', '', run]);
    }
    const saved = readdirSync(join(home, '.local', 'state', 'footprint')).filter((name) => name.endsWith('.json.gz'));
    expect(saved).toHaveLength(2);
    expect(execFileSync('sh', ['-c', `gunzip -c '${join(home, '.local', 'state', 'footprint', saved[0])}' | head -c 36`]).toString())
      .toBe('{"schema":"footprint.report/1","tool');
  });

  test('the systemd service runs its ExecStart the same way; the timer is daily', () => {
    const service = block('ini', 'footprint-save.service');
    const timer = block('ini', 'footprint-save.timer');
    expect(service).toContain('Type=oneshot');
    expect(timer).toMatch(/^OnCalendar=daily$/m);
    expect(timer).toMatch(/^WantedBy=timers.target$/m);
    const execStart = /^ExecStart=(.*)$/m.exec(service)![1];
    expect(execStart.startsWith('/usr/bin/footprint ')).toBe(true);
    const home = tempDir('footprint-systemd-');
    const result = runLikeCron(execStart, home);
    expect([result.status, result.stdout, result.stderr]).toEqual([0, '', '']);
    expect(readdirSync(join(home, '.local', 'state', 'footprint')).filter((name) => name.endsWith('.json.gz'))).toHaveLength(1);
  });
});
