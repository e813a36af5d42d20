import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, symlinkSync, unlinkSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { BIN, tempDir } from '../helpers/storeFixtures.js';

const README = readFileSync(resolve('README.md'), 'utf8');
/** Where `npm install -g .` links the checkout with Debian's Node.js (prefix /usr). */
const INSTALLED_PACKAGE = '/usr/lib/node_modules/footprint';
const INSTALLED = `${INSTALLED_PACKAGE}/bin/footprint.js`;
const CHECKOUT = dirname(dirname(BIN));

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
    // What `npm install -g .` makes, a link to the checkout, where the install has not been made.
    if (!existsSync(INSTALLED_PACKAGE) && process.getuid?.() === 0) {
      symlinkSync(CHECKOUT, INSTALLED_PACKAGE);
      linked = true;
    }
  });
  afterAll(() => {
    if (linked && lstatSync(INSTALLED_PACKAGE).isSymbolicLink()) unlinkSync(INSTALLED_PACKAGE);
  });

  test("the line the README's sh command adds names node and footprint where they are, outside cron's PATH too", () => {
    const recipe = block('sh', '### From cron').trim();
    expect(recipe).toMatch(/^\(crontab -l 2>\/dev\/null; (echo ".*")\) \| crontab -$/);
    // Run its echo (not crontab: this machine's crontab is not the test's) where node and
    // footprint live outside /usr/bin, as under nvm: a node and a footprint link in dirs of their own.
    const nodeDir = tempDir('footprint-node-');
    const npmBin = tempDir('footprint-npm-bin-');
    symlinkSync(process.execPath, join(nodeDir, 'node'));
    symlinkSync(BIN, join(npmBin, 'footprint'));
    const echo = /^\(crontab -l 2>\/dev\/null; (echo ".*")\)/.exec(recipe)![1];
    const made = spawnSync('sh', ['-c', echo], { encoding: 'utf8', env: { PATH: `${nodeDir}:${npmBin}:/usr/bin:/bin` } });
    const line = made.stdout.trim();
    expect(line).toBe(`0 3 * * * ${join(nodeDir, 'node')} ${BIN} save --keep 90d`);
    const home = tempDir('footprint-cron-');
    mkdirSync(home, { recursive: true });
    const result = runLikeCron(line.replace(/^(\S+\s+){5}/, ''), home);
    expect([result.status, result.stdout, result.stderr]).toEqual([0, '', '']);
    expect(readdirSync(join(home, '.local', 'state', 'footprint')).filter((name) => name.endsWith('.json.gz'))).toHaveLength(1);
  });

  test('the crontab line works as it stands in a bare cron environment', () => {
    const lines = block('crontab', '### From cron').trim().split('\n');
    expect(lines).toHaveLength(1);
    const fields = lines[0].split(/\s+/);
    expect(fields.slice(0, 5)).toEqual(['0', '3', '*', '*', '*']);
    const command = lines[0].replace(/^(\S+\s+){5}/, '');
    expect(command.startsWith(`/usr/bin/node ${INSTALLED} `)).toBe(true);
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

  test('the systemd service runs its ExecStart the same way; the timer runs at 03:00, as the crontab line', () => {
    const service = block('ini', 'footprint-save.service');
    const timer = block('ini', 'footprint-save.timer');
    expect(service).toContain('Type=oneshot');
    // At the crontab line's time.
    expect(timer).toMatch(/^OnCalendar=\*-\*-\* 03:00:00$/m);
    expect(timer).toMatch(/^WantedBy=timers.target$/m);
    const execStart = /^ExecStart=(.*)$/m.exec(service)![1];
    expect(execStart.startsWith(`/usr/bin/node ${INSTALLED} `)).toBe(true);
    const home = tempDir('footprint-systemd-');
    const result = runLikeCron(execStart, home);
    expect([result.status, result.stdout, result.stderr]).toEqual([0, '', '']);
    expect(readdirSync(join(home, '.local', 'state', 'footprint')).filter((name) => name.endsWith('.json.gz'))).toHaveLength(1);
  });
});
