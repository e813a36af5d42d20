import { shellCommandLine } from '../reduce/shellQuote.js';
import { escapeText } from './escapeText.js';

/**
 * A command (argv) as one line for people, the same in every output: each
 * argument made safe for the terminal, then quoted as a shell would need it
 * typed (shellQuote). Escaped first, so that the backslash of a quote's '\''
 * is not doubled.
 */
export function commandLine(argv: readonly string[]): string {
  return shellCommandLine(argv.map(escapeText));
}
