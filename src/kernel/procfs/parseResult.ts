/** What a parser returns: the record, or the first line it could not read. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; error: ParseError };

export interface ParseError {
  /** Which /proc file the text came from, e.g. "smaps". */
  file: string;
  /** 1-based line number of the offending line. */
  line: number;
  text: string;
  reason: string;
}

export function parsed<T>(value: T): Parsed<T> {
  return { ok: true, value };
}

export function parseFailure<T>(file: string, line: number, text: string, reason: string): Parsed<T> {
  return { ok: false, error: { file, line, text, reason } };
}

export function describeParseError(error: ParseError): string {
  return `${error.file} line ${error.line}: ${error.reason}: ${JSON.stringify(error.text.slice(0, 80))}`;
}
