// Writes man/footprint.1 from the built CLI's own help text (`footprint --help`
// and each command's), so that the man page says what --help says; run by the
// build, installed by npm through package.json's "man".
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = dirname(dirname(fileURLToPath(import.meta.url)));
const BIN = join(REPO, 'bin', 'footprint.js');
const { version } = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8'));

function help(args) {
  // 72 columns: man indents the page by 7 in a terminal of 80.
  const result = spawnSync(process.execPath, [BIN, ...args, '--help'], { encoding: 'utf8', env: { ...process.env, COLUMNS: '72', NO_COLOR: '1' } });
  if (result.status !== 0) throw new Error(`footprint ${args.join(' ')} --help: exit ${result.status}: ${result.stderr}`);
  return result.stdout;
}

/** Text as roff reads it literally: backslashes doubled, a leading dot or quote guarded. */
function roff(text) {
  return text.replace(/\\/g, '\\e').split('\n').map((line) => (/^[.']/.test(line) ? `\\&${line}` : line)).join('\n');
}

const top = help([]);
const commands = [...top.matchAll(/^ {2}footprint (\w+)/gm)].map((match) => match[1]);
const sections = [
  `.TH FOOTPRINT 1 "" "footprint ${version}" "User Commands"`,
  '.SH NAME',
  'footprint \\- rank Linux processes by writable memory (private dirty), with shared totals',
  '.SH SYNOPSIS',
  '.B footprint',
  '[\\fIcommand\\fR] [\\fIoptions\\fR]',
  '.SH DESCRIPTION',
  '.nf',
  roff(top.trimEnd()),
  '.fi',
  // `completion --help` prints the script itself (yargs' completion command): said in words instead.
  ...commands.flatMap((command) => command === 'completion'
    ? [`.SH "footprint completion"`, 'Prints the completion script for the shell named (bash, zsh or fish), else for the shell in $SHELL. Install it with', '.B footprint completion bash >> ~/.bashrc']
    : [`.SH "footprint ${command}"`, '.nf', roff(help([command]).trimEnd()), '.fi']),
  '.SH EXIT STATUS',
  '0 done (processes that could not be read are counted, not an error); 1 a runtime failure; 2 a usage error. Each failure is one line on standard error.',
  '.SH SEE ALSO',
  '.BR proc (5),',
  '.BR ps_mem (1),',
  '.BR smem (8)',
  '',
];
mkdirSync(join(REPO, 'man'), { recursive: true });
// Written whole, then renamed: never a half-written page.
const target = join(REPO, 'man', 'footprint.1');
writeFileSync(`${target}.tmp`, sections.join('\n'));
renameSync(`${target}.tmp`, target);
