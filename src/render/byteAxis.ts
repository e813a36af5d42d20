/**
 * A y axis for sizes: ticks at a round binary step (…, 256 KiB, 512 KiB, 1 MiB,
 * 2 MiB, …, 256 MiB, 512 MiB, 1 GiB) and the axis ending at the first tick at
 * or above the data, so that a 1 GiB peak reads against 0, 256, 512, 768 MiB and
 * 1 GiB, not 409.6 and 819.2 MiB of a 2 GiB axis.
 */

const UNITS = [['GiB', 1024 ** 3], ['MiB', 1024 ** 2], ['KiB', 1024]] as const;

export interface ByteAxis {
  /** The axis' top, a multiple of `step`. */
  top: number;
  /** A power of two, in bytes. */
  step: number;
  /** 0, step, 2 × step, …, top. */
  ticks: number[];
}

/** At most `maxIntervals` steps (default 5) of the smallest power of two that fits; 1 KiB for an empty chart. */
export function byteAxis(maxBytes: number, maxIntervals = 5): ByteAxis {
  const data = Math.max(0, maxBytes);
  let step = 1;
  while (Math.ceil(data / step) > maxIntervals) step *= 2;
  const intervals = Math.max(1, Math.ceil(data / step));
  const top = data === 0 ? 1024 : intervals * step;
  const count = data === 0 ? 4 : intervals;
  const tickStep = data === 0 ? 256 : step;
  return { top, step: tickStep, ticks: Array.from({ length: count + 1 }, (_, index) => index * tickStep) };
}

/** A tick's label: the largest unit it is at least 1 of, without needless decimals ("768 MiB", "1.5 GiB", "0 B"). */
export function formatTick(bytes: number): string {
  for (const [unit, size] of UNITS) {
    if (bytes >= size) return `${Number((bytes / size).toFixed(2))} ${unit}`;
  }
  return `${bytes} B`;
}
