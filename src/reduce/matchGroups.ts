import type { ProcessSample } from '../model/processSample.js';
import type { ProgramGroup } from '../model/report.js';
import { programName } from './programName.js';

/**
 * Finding programs by name: `--match REGEX` (the report, watch, history, diff,
 * serve and export) and `--program NAME` (watch, history). Pure: the pattern
 * comes compiled (cli/values/match.ts compiles it with RE2's linear-time
 * semantics, since it runs on text any process can choose).
 */

/** A user's --match pattern, compiled: whether it is found anywhere in a text (unanchored, as grep and pgrep). */
export interface TextPattern {
  readonly source: string;
  test(text: string): boolean;
}

/**
 * Whether a process matches: its program name (its group key under --group
 * program: `python3.11 longpy.py`) or its command line (the arguments joined by
 * spaces, the text `pgrep -f` reads). A process with no command line (a kernel
 * thread, a zombie) is matched by its name alone.
 */
export function processMatches(sample: ProcessSample, pattern: TextPattern): boolean {
  return pattern.test(programName(sample)) || (sample.cmdline.length > 0 && pattern.test(sample.cmdline.join(' ')));
}

/**
 * The groups with at least one matching member, in their order. A group is
 * kept or left whole, never cut down to the members that match: under every
 * grouping a row then reads as it does without --match (the same figures,
 * the same count), and a program whose workers differ in their arguments
 * (`gunicorn: master`, `gunicorn: worker`) is one row whichever of them the
 * pattern names. Under --group user or cgroup, a group is shown when any of
 * its processes matches, with all of its figures.
 */
export function matchGroups(groups: readonly ProgramGroup[], samples: readonly ProcessSample[], pattern: TextPattern): ProgramGroup[] {
  const matching = new Set<number>();
  for (const sample of samples) if (processMatches(sample, pattern)) matching.add(sample.pid);
  return groups.filter((group) => group.pids.some((pid) => matching.has(pid)));
}

/**
 * Rows of a saved report or of history, which keep the group's name and no
 * command line: matched on the name alone (under --group cmdline the name is
 * the command line; under --group program the program's name).
 */
export function matchNamed<T extends { name: string }>(rows: readonly T[], pattern: TextPattern): T[] {
  return rows.filter((row) => pattern.test(row.name));
}

/**
 * Whether `--program NAME` names the group `key` (a group key under --group
 * program). NAME names it when it is:
 * - the key itself: `python3.11 longpy.py`;
 * - the program without its script, the key's first word: `python3.11`, or
 *   that word without its version, as the command is typed: `python3`,
 *   `python` (the word is NAME and a version: digits and dots, not a number cut in two);
 * - the script without its program, the rest of the key: `longpy.py`, or for
 *   `python3.11 -m http.server` also `http.server`.
 * A `(deleted)` or `(memfd)` mark after the name is no part of either word.
 */
export function namesProgram(name: string, key: string): boolean {
  if (name === '' || key === '') return false;
  if (name === key) return true;
  const bare = key.replace(/ \((deleted|memfd)\)$/, '');
  const space = bare.indexOf(' ');
  const program = space < 0 ? bare : bare.slice(0, space);
  if (program === name || (program.startsWith(name) && isVersion(name, program.slice(name.length)))) return true;
  if (space < 0) return false;
  const script = bare.slice(space + 1);
  return script === name || (script.startsWith('-m ') && script.slice(3) === name);
}

/** Whether `rest` is a version after `name`: `.11` after python3, `3.11` after python, never `1` after python3.1 (a number cut in two). */
export function isVersion(name: string, rest: string): boolean {
  if (/^\.[0-9][0-9.]*$/.test(rest)) return true;
  return /^[0-9][0-9.]*$/.test(rest) && !/[0-9.]$/.test(name);
}

/** The kernel's name (status Name:, comm) is cut to 15 characters. */
const KERNEL_NAME_LENGTH = 15;

/**
 * The measured group's name an estimated one should carry, if exactly one
 * names the same program. Another user's exe link cannot be read without
 * ptrace access, so an estimated process is named from the kernel's name:
 * `python3 x.py` (the name it was started by, cut to 15 characters) where the
 * same program measured is `python3.11 x.py` (its exe's). Same script, and
 * the measured program's name is the estimated one with a version after it,
 * or goes on past the kernel's 15 characters: then it is that program.
 */
export function measuredNameOf(estimated: string, measured: Iterable<string>): string | undefined {
  const [word, rest] = splitKey(estimated);
  let found: string | undefined;
  for (const name of measured) {
    const [measuredWord, measuredRest] = splitKey(name);
    if (measuredRest !== rest || !measuredWord.startsWith(word) || measuredWord === word) continue;
    const after = measuredWord.slice(word.length);
    if (!isVersion(word, after) && word.length !== KERNEL_NAME_LENGTH) continue;
    if (found !== undefined) return undefined; // two programs it could be: say neither
    found = name;
  }
  return found;
}

function splitKey(key: string): [string, string] {
  const space = key.indexOf(' ');
  return space < 0 ? [key, ''] : [key.slice(0, space), key.slice(space + 1)];
}

/** The keys among `keys` that NAME names (namesProgram), in their order. */
export function keysNamed(name: string, keys: Iterable<string>): string[] {
  const named: string[] = [];
  for (const key of keys) if (namesProgram(name, key)) named.push(key);
  return named;
}
