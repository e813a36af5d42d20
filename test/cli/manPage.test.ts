/**
 * The man pages the build makes from --help (scripts/makeManPage.mjs): footprint(1)
 * and one footprint-COMMAND(1) per command --help lists; the real `man` renders
 * each in 80 columns, and package.json's "man" (what `npm install -g` installs)
 * lists exactly these pages, which `npm pack` then carries.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { REPO, runCli } from '../helpers/snapshots.js';
import { tempDir } from '../helpers/tempPaths.js';

const MAN = join(REPO, 'man');

/** What man prints for a page file, as a reader sees it (no overstrike bold). */
function render(file: string) {
  const result = spawnSync('man', ['-l', join(MAN, file)], { encoding: 'utf8', env: { ...process.env, MANWIDTH: '80', MANPAGER: 'cat', PAGER: 'cat' }, timeout: 30_000 });
  return { status: result.status, text: result.stdout.replace(/.\x08/g, ''), stderr: result.stderr };
}

const commands = [...runCli(['--help']).stdout.matchAll(/^ {2}footprint (\w+)/gm)].map((match) => match[1]);
const pageFiles = ['footprint.1', ...commands.map((command) => `footprint-${command}.1`)];

describe('man pages', () => {
  it('one per command --help lists, and footprint(1), and nothing else', () => {
    expect(commands).toEqual(expect.arrayContaining(['show', 'capture', 'save', 'diff', 'history', 'run', 'watch', 'export', 'serve', 'cgroups', 'completion']));
    expect(readdirSync(MAN).filter((file) => !file.endsWith('.tmp')).sort()).toEqual([...pageFiles].sort());
  });

  it.each(pageFiles)('%s renders with man, NAME to SEE ALSO, in 80 columns', (file) => {
    const page = render(file);
    expect(page.status).toBe(0);
    expect(page.stderr).toBe('');
    const name = file.slice(0, -2);
    expect(page.text.split('\n')[0]).toMatch(new RegExp(`^${name.toUpperCase()}\\(1\\) +User Commands +${name.toUpperCase()}\\(1\\)$`));
    for (const section of ['NAME', 'SYNOPSIS', 'DESCRIPTION', 'EXIT STATUS', 'SEE ALSO']) expect(page.text).toMatch(new RegExp(`^${section}$`, 'm'));
    expect(page.text.split('\n').filter((line) => line.length > 80)).toEqual([]);
  });

  it("each command's page says what its --help says: its synopsis, options and examples", () => {
    const show = render('footprint-show.1').text;
    expect(show).toMatch(/^ {7}footprint show <pid>$/m);
    expect(show).toContain('--mappings');
    expect(show).toContain('One row per backing file, by private dirty');
    expect(show).toContain('footprint show 1234 --mappings');
    const run = render('footprint-run.1').text;
    expect(run).toMatch(/^ {7}footprint run \[command\.\.\]$/m);
    expect(run).toContain('--json');
    const completion = render('footprint-completion.1').text;
    expect(completion).toContain('footprint completion zsh >> ~/.zshrc');
  });

  it('footprint(1) holds the report and names every command\'s page', () => {
    const text = render('footprint.1').text.replace(/‐\n\s*/g, '').replace(/\s+/g, ' ');
    expect(text).toContain('--sort');
    for (const command of commands) expect(text).toContain(`footprint-${command}(1)`);
  });

  it('package.json "man" lists every page, so that npm install -g installs them; npm pack carries them', () => {
    const manifest = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { man: string[] };
    expect([...manifest.man].sort()).toEqual(pageFiles.map((file) => `./man/${file}`).sort());
    // --ignore-scripts: pack without building again (the build made these pages).
    const pack = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts', '--offline'], { cwd: REPO, encoding: 'utf8', timeout: 60_000 });
    expect(pack.status).toBe(0);
    const packed = (JSON.parse(pack.stdout) as { files: { path: string }[] }[])[0].files.map((file) => file.path);
    expect(packed).toEqual(expect.arrayContaining(pageFiles.map((file) => `man/${file}`)));
  });

  describe('npm install -g', () => {
    // A copy of the package's manifest (its dependencies left out: npm is offline here) with
    // its man/ and bin/, installed globally into a prefix of the test's own, as a user would.
    const work = tempDir('footprint-man-install-');
    afterAll(() => rmSync(work, { recursive: true, force: true }));

    it('links every page into PREFIX/share/man/man1, where man finds footprint-show(1) by name', () => {
      const manifest = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as Record<string, unknown>;
      const pkg = join(work, 'footprint');
      cpSync(MAN, join(pkg, 'man'), { recursive: true });
      cpSync(join(REPO, 'bin'), join(pkg, 'bin'), { recursive: true });
      writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: manifest.name, version: manifest.version, bin: manifest.bin, man: manifest.man }));
      const prefix = join(work, 'prefix');
      const install = spawnSync('npm', ['install', '-g', '--prefix', prefix, '--offline', '--ignore-scripts', '--no-audit', '--no-fund', pkg], { encoding: 'utf8', timeout: 120_000 });
      expect(install.status).toBe(0);
      expect(readdirSync(join(prefix, 'share', 'man', 'man1')).sort()).toEqual([...pageFiles].sort());
      // npm links them to the package's own pages; man finds the link and names what it points to.
      const env = { ...process.env, MANPATH: join(prefix, 'share', 'man'), MANWIDTH: '80', MANPAGER: 'cat', PAGER: 'cat' };
      const found = spawnSync('man', ['-w', 'footprint-show'], { encoding: 'utf8', env });
      expect(realpathSync(found.stdout.trim())).toBe(realpathSync(join(prefix, 'share', 'man', 'man1', 'footprint-show.1')));
      const page = spawnSync('man', ['footprint-run'], { encoding: 'utf8', env });
      expect(page.stdout.replace(/.\x08/g, '').split('\n')[0]).toMatch(/^FOOTPRINT-RUN\(1\) +User Commands +FOOTPRINT-RUN\(1\)$/);
    });
  });
});
