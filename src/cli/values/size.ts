import { UsageError } from '../../errors.js';

const SIZE_UNITS: Record<string, number> = {
  '': 1, b: 1,
  k: 1024, kb: 1024, kib: 1024,
  m: 1024 ** 2, mb: 1024 ** 2, mib: 1024 ** 2,
  g: 1024 ** 3, gb: 1024 ** 3, gib: 1024 ** 3,
  t: 1024 ** 4, tb: 1024 ** 4, tib: 1024 ** 4,
};

/**
 * `100MiB`, `1.5G`, `4096` → bytes. Memory figures are binary, so `MB` is
 * read as MiB too: nobody sets a leak threshold in powers of ten.
 */
export function parseSize(option: string, text: unknown): number {
  const value = String(text).trim();
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(value);
  const unit = match ? SIZE_UNITS[match[2].toLowerCase()] : undefined;
  if (!match || unit === undefined) {
    throw new UsageError(`${option}: "${value}" is not a size (examples: 100MiB, 2GiB, 512KiB)`);
  }
  return Math.round(Number(match[1]) * unit);
}

const DURATION_UNITS: Record<string, number> = {
  m: 60_000, min: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
};

/** `30d`, `12h`, `8w`, `90m` → milliseconds. */
export function parseDuration(option: string, text: unknown): number {
  const value = String(text).trim();
  const match = /^(\d+)\s*([a-z]+)$/i.exec(value);
  const unit = match ? DURATION_UNITS[match[2].toLowerCase()] : undefined;
  if (!match || unit === undefined || Number(match[1]) <= 0) {
    throw new UsageError(`${option}: "${value}" is not a duration (examples: 12h, 30d, 8w)`);
  }
  return Number(match[1]) * unit;
}

const INTERVAL_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** `100ms`, `2s`, `1.5s`, `5m`, `1h` → whole milliseconds (at least 1): sampling intervals and durations. */
export function parseInterval(option: string, text: unknown): number {
  const value = String(text).trim();
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]+)$/i.exec(value);
  const unit = match ? INTERVAL_UNITS[match[2].toLowerCase()] : undefined;
  const ms = match && unit !== undefined ? Math.round(Number(match[1]) * unit) : 0;
  if (ms < 1) throw new UsageError(`${option}: "${value}" is not a duration (examples: 100ms, 2s, 5m, 1h)`);
  return ms;
}
