import { parsed, parseFailure, type Parsed } from '../procfs/parseResult.js';
import { parseLimitValue, type Limit } from './cgroupValue.js';

/** A flat-keyed cgroup file ("key value" per line): memory.stat, memory.events, memory.oom_control. */
export interface FlatKeyed {
  /** Every key with a value within Number's exact range, unknown ones too (a newer kernel adds keys). */
  values: Record<string, number>;
  /**
   * Keys whose value is a limit beyond that range: v1's hierarchical_memory_limit
   * and hierarchical_memsw_limit print the counter's maximum, which means none.
   */
  limits: Record<string, Limit>;
}

const LINE = /^([a-z0-9_]{1,64}) (\d{1,20})$/;

/**
 * Parses a flat-keyed file. The kernel orders keys for people and adds new
 * ones in the middle (cgroup-v2.rst: "use the keys"), so nothing depends on order.
 * A value beyond 2^53 is kept only as a limit (null: none); a key twice is malformed.
 */
export function parseFlatKeyed(file: string, text: string): Parsed<FlatKeyed> {
  const values: Record<string, number> = Object.create(null);
  const limits: Record<string, Limit> = Object.create(null);
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line === '') continue;
    const match = LINE.exec(line);
    if (match === null) return parseFailure(file, i + 1, line, 'expected "key value"');
    const [, key, digits] = match;
    if (key in values || key in limits) return parseFailure(file, i + 1, line, `"${key}" appears twice`);
    const value = Number(digits);
    if (Number.isSafeInteger(value)) {
      values[key] = value;
      continue;
    }
    const limit = parseLimitValue(file, digits, i + 1);
    if (!limit.ok || limit.value !== null) return parseFailure(file, i + 1, line, 'number out of range');
    limits[key] = null;
  }
  return parsed({ values, limits });
}
