/**
 * A word as a POSIX shell would need it typed: bare when it is safe, else in
 * single quotes (a quote inside as '\''). A command line shown this way reads
 * as it was run — `python3 -c 'import time, json'`, not `python3 -c import time, json`.
 */
export function shellQuote(word: string): string {
  if (/^[\w@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

export function shellCommandLine(argv: readonly string[]): string {
  return argv.map(shellQuote).join(' ');
}
