import { parsed, parseFailure, type Parsed } from '../procfs/parseResult.js';

/**
 * A limit as the kernel prints it: bytes, or null for no limit. cgroup v2 writes
 * "max"; v1 writes its page counter's maximum in bytes, LONG_MAX rounded down to
 * a page (9223372036854771712 with 4 KiB pages, ...710272 with 64 KiB pages).
 */
export type Limit = number | null;

/** Above this a v1 limit is the counter's maximum whatever the page size (up to 1 MiB pages): no machine has 8 EiB. */
const V1_NO_LIMIT_FROM = (1n << 63n) - (1n << 20n);

const DIGITS = /^\d{1,20}$/;

/** The one line of a single-value file, without its newline. */
function singleLine(text: string): string | undefined {
  const line = text.endsWith('\n') ? text.slice(0, -1) : text;
  return line.includes('\n') ? undefined : line;
}

/**
 * A byte count as a bounded integer: digits only, within Number's exact range
 * (8 PiB), since a count beyond it is a broken or hostile file, not a cgroup.
 */
export function parseByteCount(file: string, line: string, lineNumber = 1): Parsed<number> {
  if (!DIGITS.test(line)) return parseFailure(file, lineNumber, line, 'expected a whole number');
  const value = Number(line);
  if (!Number.isSafeInteger(value)) return parseFailure(file, lineNumber, line, 'number out of range');
  return parsed(value);
}

/** A single-value counter file: memory.current, memory.peak, memory.usage_in_bytes, memory.kmem.usage_in_bytes... */
export function parseCounterFile(file: string, text: string): Parsed<number> {
  const line = singleLine(text);
  if (line === undefined) return parseFailure(file, 2, text.split('\n')[1] ?? '', 'expected one line');
  return parseByteCount(file, line);
}

/**
 * A single-value limit file of either version: v2's memory.max, memory.high,
 * memory.low, memory.min ("max" or bytes); v1's memory.limit_in_bytes,
 * memory.soft_limit_in_bytes (bytes, the counter's maximum meaning none).
 */
export function parseLimitFile(file: string, text: string): Parsed<Limit> {
  const line = singleLine(text);
  if (line === undefined) return parseFailure(file, 2, text.split('\n')[1] ?? '', 'expected one line');
  return parseLimitValue(file, line);
}

export function parseLimitValue(file: string, value: string, lineNumber = 1): Parsed<Limit> {
  if (value === 'max') return parsed(null);
  if (!DIGITS.test(value)) return parseFailure(file, lineNumber, value, 'expected "max" or a whole number');
  if (BigInt(value) >= V1_NO_LIMIT_FROM) return parsed(null);
  return parseByteCount(file, value, lineNumber);
}
