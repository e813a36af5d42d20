// Writes the man pages from the built CLI's own help text, so that each page
// says what --help says (both come from the command table, src/cli/commandTable.ts,
// and its option tables): footprint(1) for the report and the list of commands,
// and footprint-COMMAND(1) for each command (`man footprint-show`). Run by the
// build; package.json's "man" lists them for `npm install -g`
// (test/cli/manPage.test.ts checks that the list and the pages agree).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = dirname(dirname(fileURLToPath(import.meta.url)));
const BIN = join(REPO, 'bin', 'footprint.js');
const MAN = join(REPO, 'man');
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

/** A phrase for a NAME line or a paragraph: roff-literal, dashes as minus signs. */
function words(text) {
  return roff(text).replace(/-/g, '\\-');
}

/** Each command's name and its description from the top help's list (descriptions wrap onto indented lines). */
function commandList(top) {
  const list = top.slice(top.indexOf('Commands:\n'), top.indexOf('\nOptions:'));
  const commands = [];
  for (const line of list.split('\n').slice(1)) {
    const start = /^ {2}footprint (\w+)(?: [^ ]+)*? {2,}(.*)$/.exec(line);
    if (start !== null) commands.push({ name: start[1], description: start[2] });
    else if (/^ {4,}\S/.test(line) && commands.length > 0) commands.at(-1).description += ` ${line.trim()}`;
  }
  // For a NAME line: no [default] mark, no example after a colon (`...: footprint completion bash >> ~/.bashrc`), lower case.
  return commands.map(({ name, description }) => ({
    name,
    description: description.replace(/\s*\[default\]$/, '').replace(/: footprint .*$/, '').replace(/^[A-Z](?=[a-z])/, (letter) => letter.toLowerCase()),
  }));
}

const EXIT_STATUS = [
  '.SH EXIT STATUS',
  '0 done (processes that could not be read are counted, not an error); 1 a runtime failure; 2 a usage error; 3 a threshold crossed where asked for (diff \\-\\-fail\\-over, watch \\-\\-fail\\-on\\-leak). Each failure is one line on standard error.',
];

const ENVIRONMENT = [
  '.SH ENVIRONMENT',
  '.TP', '.B NO_COLOR', 'No colour, even on a terminal (none is used when standard output is not one).',
  '.TP', '.B COLUMNS', 'The width tables are fitted to when standard output is not a terminal.',
  '.TP', '.B FOOTPRINT_DIR', 'The report directory of save, diff, history and watch (else $XDG_STATE_HOME/footprint, else ~/.local/state/footprint).',
];

/** The manual sections of the pages named in SEE ALSO that are not section 1. */
const SECTIONS = { proc: 5, smem: 8 };

function page(name, description, body, seeAlso) {
  const title = name.toUpperCase();
  return [
    `.TH ${title} 1 "" "footprint ${version}" "User Commands"`,
    '.SH NAME',
    `${words(name)} \\- ${words(description)}`,
    ...body,
    ...EXIT_STATUS,
    ...ENVIRONMENT,
    '.SH SEE ALSO',
    seeAlso.map((other, index) => `.BR ${other} (${SECTIONS[other] ?? 1})${index < seeAlso.length - 1 ? ',' : ''}`).join('\n'),
    '.PP',
    'The longer explanations (the JSON documents, the System block, cgroups, the run document, serving) are in the docs/ directory of footprint\'s source, beside README.md.',
    '',
  ].join('\n');
}

/** The help text as a page's SYNOPSIS and DESCRIPTION: yargs' first line is the synopsis. */
function helpBody(text) {
  const [synopsis, ...rest] = text.trimEnd().split('\n');
  return ['.SH SYNOPSIS', '.nf', roff(synopsis), '.fi', '.SH DESCRIPTION', '.nf', roff(rest.join('\n').replace(/^\n+/, '')), '.fi'];
}

/** `completion --help` prints the script itself (yargs' completion command): said in words instead. */
const COMPLETION_BODY = [
  '.SH SYNOPSIS',
  '.B footprint completion',
  '[\\fBbash\\fR|\\fBzsh\\fR|\\fBfish\\fR]',
  '.SH DESCRIPTION',
  'Prints the completion script for the shell named, else for the shell in $SHELL. Install it with',
  '.PP',
  '.nf',
  'footprint completion bash >> ~/.bashrc',
  'footprint completion zsh >> ~/.zshrc',
  'footprint completion fish > ~/.config/fish/completions/footprint.fish',
  '.fi',
];

const top = help([]);
const commands = commandList(top);
const pageName = (command) => `footprint-${command}`;
const pages = new Map();
pages.set('footprint', page(
  'footprint',
  'rank Linux processes by writable memory (private dirty), with shared totals',
  [
    ...helpBody(top),
    '.SH COMMANDS',
    'Each command has its own page:',
    ...commands.flatMap((command) => ['.TP', `.BR ${pageName(command.name)} (1)`, words(command.description)]),
  ],
  [...commands.map((command) => pageName(command.name)), 'proc', 'ps_mem', 'smem'],
));
for (const command of commands) {
  const body = command.name === 'completion' ? COMPLETION_BODY : helpBody(help([command.name]));
  pages.set(pageName(command.name), page(pageName(command.name), command.description, body, ['footprint']));
}

mkdirSync(MAN, { recursive: true });
// Pages of commands that are gone go too; each page is written whole, then renamed: never a half-written page.
for (const file of readdirSync(MAN)) if (file.endsWith('.1') && !pages.has(file.slice(0, -2))) rmSync(join(MAN, file));
for (const [name, text] of pages) {
  const target = join(MAN, `${name}.1`);
  writeFileSync(`${target}.tmp`, text);
  renameSync(`${target}.tmp`, target);
}
