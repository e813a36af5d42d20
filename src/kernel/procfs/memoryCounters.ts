/**
 * The "Key:  123 kB" counters that smaps, smaps_rollup and status share.
 * Every figure is held in bytes. Fields a kernel may lack are optional.
 */
export interface MemoryCounters {
  rss: number;
  /** Exactly the `Pss:` line. Pss_Anon/Pss_File/Pss_Shmem/Pss_Dirty are parts of it, never added to it. */
  pss: number;
  sharedClean: number;
  sharedDirty: number;
  privateClean: number;
  privateDirty: number;
  /** Private hugetlb pages appear in no other field (not in Rss nor Private_*), so they are added apart. */
  privateHugetlb: number;
  sharedHugetlb: number;
  anonymous: number;
  swap: number;
  /** Since Linux 4.3; proportional swap, preferred over Swap when present. */
  swapPss?: number;
  /** Since Linux 5.7 (smaps_rollup only): the anonymous and the shmem parts of Pss. */
  pssAnon?: number;
  pssShmem?: number;
  /** Since Linux 6.0: the dirty part of Pss (its pages not yet written back, shared ones proportionally). */
  pssDirty?: number;
  /** Every other counter the kernel printed, in bytes (kB lines) or as the raw number. */
  other: Record<string, number>;
}

export function emptyCounters(): MemoryCounters {
  return {
    rss: 0, pss: 0, sharedClean: 0, sharedDirty: 0, privateClean: 0, privateDirty: 0,
    privateHugetlb: 0, sharedHugetlb: 0, anonymous: 0, swap: 0, other: {},
  };
}

export const KNOWN_FIELDS: Record<string, keyof Omit<MemoryCounters, 'other'>> = {
  Rss: 'rss',
  Pss: 'pss',
  Shared_Clean: 'sharedClean',
  Shared_Dirty: 'sharedDirty',
  Private_Clean: 'privateClean',
  Private_Dirty: 'privateDirty',
  Private_Hugetlb: 'privateHugetlb',
  Shared_Hugetlb: 'sharedHugetlb',
  Anonymous: 'anonymous',
  Swap: 'swap',
  SwapPss: 'swapPss',
  Pss_Anon: 'pssAnon',
  Pss_Shmem: 'pssShmem',
  Pss_Dirty: 'pssDirty',
};

/**
 * Reads one counter line ("Private_Dirty:   656 kB") into `counters`.
 * Returns an error reason, or undefined when the line was taken.
 */
export function takeCounterLine(line: string, counters: MemoryCounters): string | undefined {
  const colon = line.indexOf(':');
  if (colon <= 0) return 'expected "Key: value"';
  const key = line.slice(0, colon);
  const value = fastCounterValue(line, colon);
  if (value >= 0) {
    storeCounter(counters, key, value);
    return undefined;
  }
  let rest = line.slice(colon + 1).trim();
  let scale = 1;
  if (rest.endsWith(' kB')) {
    rest = rest.slice(0, -3).trimEnd();
    scale = 1024;
  }
  if (!/^\d+$/.test(rest)) {
    return `value of ${keyName(key)} is not a number`;
  }
  const bytes = boundedCount(rest, scale);
  if (bytes === undefined) return `value of ${keyName(key)} is past ${scale === 1 ? `${MAX_COUNT}` : `${MAX_KB} kB`}, more than any machine holds`;
  storeCounter(counters, key, bytes);
  return undefined;
}

/** A key as a reason names it: the kernel's keys are plain names; anything else in a crafted file is not repeated. */
function keyName(key: string): string {
  return /^[A-Za-z0-9_]{1,40}$/.test(key) ? key : 'a line';
}

/**
 * The largest count footprint keeps: JSON readers (JavaScript's Number among
 * them) hold integers exactly up to 2^53 - 1. A 64-bit kernel's counters can go
 * to 2^64 bytes, but no machine holds 8 PiB: a count past this is a crafted or
 * broken file, and rounding it would print a figure nobody measured.
 */
export const MAX_COUNT = Number.MAX_SAFE_INTEGER;
/** The largest kB count whose bytes stay exact (8 PiB); see MAX_COUNT. */
export const MAX_KB = Math.floor(MAX_COUNT / 1024);

/**
 * "Key:<spaces>digits kB" read where it stands in `text` (line from `start` to
 * `end`, its colon at `colon`), in bytes; -1 for anything else, which the
 * general path (takeCounterLine) reads or rejects with its reason.
 * The fast path of smaps' parsers (smaps.ts, smapsSums.ts).
 */
export function counterValueInPlace(text: string, colon: number, end: number): number {
  let index = colon + 1;
  while (index < end && text.charCodeAt(index) === 32) index++;
  const first = index;
  let value = 0;
  for (; index < end; index++) {
    const code = text.charCodeAt(index);
    if (code < 48 || code > 57) break;
    value = value * 10 + (code - 48);
  }
  const digits = index - first;
  if (digits === 0 || digits > 15) return -1;
  if (index === end) return value;
  if (index + 3 === end && text.startsWith(' kB', index) && value <= MAX_KB) return value * 1024;
  return -1;
}

/**
 * Plain decimal digits (already checked) times scale, or undefined past
 * MAX_COUNT. Number() of more than 16 digits may round, so the length is checked
 * before the value; scale is 1 or 1024, whose product is exact below 2^53.
 */
export function boundedCount(digits: string, scale: number): number | undefined {
  if (digits.length > 16) return undefined;
  const value = Number(digits);
  return value <= MAX_COUNT && value * scale <= MAX_COUNT ? value * scale : undefined;
}

/** A kB figure ("1234 kB") in bytes, or undefined when it is not plain digits and " kB" or is past MAX_KB. */
export function kilobytesValue(text: string): number | undefined {
  if (!text.endsWith(' kB')) return undefined;
  const digits = text.slice(0, -3);
  return /^\d+$/.test(digits) ? boundedCount(digits, 1024) : undefined;
}

/** A counter's value (bytes, or the raw number) kept under its key: a known field, or among the others. */
export function storeCounter(counters: MemoryCounters, key: string, value: number): void {
  const field = KNOWN_FIELDS[key];
  if (field !== undefined) counters[field] = value;
  else counters.other[key] = value;
}

/**
 * The common shape, "Key:<spaces>digits kB" or "Key:<spaces>digits", read without
 * slicing, trimming or a regular expression (a scan reads ~25 such lines per
 * process). Returns -1 for anything else, which takeCounterLine's general path
 * reads or rejects exactly as before.
 */
function fastCounterValue(line: string, colon: number): number {
  let index = colon + 1;
  while (line.charCodeAt(index) === 32) index++;
  const first = index;
  let value = 0;
  for (let code = line.charCodeAt(index); code >= 48 && code <= 57; code = line.charCodeAt(++index)) {
    value = value * 10 + (code - 48);
  }
  const digits = index - first;
  // More than 15 digits could exceed 2^53, where Number(text) would round differently.
  if (digits === 0 || digits > 15) return -1;
  if (index === line.length) return value;
  // Past MAX_KB, the general path says why.
  if (index + 3 === line.length && line.endsWith(' kB') && value <= MAX_KB) return value * 1024;
  return -1;
}

/** Adds b into a, field by field (including the optional ones where either has them). */
export function addCounters(a: MemoryCounters, b: MemoryCounters): void {
  a.rss += b.rss;
  a.pss += b.pss;
  a.sharedClean += b.sharedClean;
  a.sharedDirty += b.sharedDirty;
  a.privateClean += b.privateClean;
  a.privateDirty += b.privateDirty;
  a.privateHugetlb += b.privateHugetlb;
  a.sharedHugetlb += b.sharedHugetlb;
  a.anonymous += b.anonymous;
  a.swap += b.swap;
  if (b.swapPss !== undefined) a.swapPss = (a.swapPss ?? 0) + b.swapPss;
  if (b.pssAnon !== undefined) a.pssAnon = (a.pssAnon ?? 0) + b.pssAnon;
  if (b.pssShmem !== undefined) a.pssShmem = (a.pssShmem ?? 0) + b.pssShmem;
  if (b.pssDirty !== undefined) a.pssDirty = (a.pssDirty ?? 0) + b.pssDirty;
  for (const [key, value] of Object.entries(b.other)) a.other[key] = (a.other[key] ?? 0) + value;
}
