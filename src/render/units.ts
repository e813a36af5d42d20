import type { Unit } from '../model/units.js';

export type { Unit };

const SCALE: Record<Exclude<Unit, 'auto'>, number> = { B: 1, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3 };

/** The unit ps_mem would pick: the largest in which the figure is at least 1. */
export function autoUnit(bytes: number): Exclude<Unit, 'auto'> {
  const size = Math.abs(bytes);
  if (size >= SCALE.GiB) return 'GiB';
  if (size >= SCALE.MiB) return 'MiB';
  if (size >= SCALE.KiB) return 'KiB';
  return 'B';
}

/** "2.3 GiB", "512.0 KiB", "0 B"; with a fixed unit, the number in that unit. */
export function formatBytes(bytes: number, unit: Unit = 'auto', withSuffix = true): string {
  const chosen = unit === 'auto' ? autoUnit(bytes) : unit;
  const value = bytes / SCALE[chosen];
  const text = chosen === 'B' ? String(bytes) : chosen === 'KiB' && unit !== 'auto' ? value.toFixed(0) : value.toFixed(1);
  return withSuffix ? `${text} ${chosen}` : text;
}

/** A signed size for diffs: "+1.5 MiB", "-12.0 KiB", "0 B". */
export function formatByteChange(bytes: number, unit: Unit = 'auto'): string {
  const text = formatBytes(Math.abs(bytes), unit);
  return bytes > 0 ? `+${text}` : bytes < 0 ? `-${text}` : text;
}

/**
 * A column of sizes. With `auto`, each figure in its own unit as ps_mem prints
 * them ("5.0 MiB" beside "1.2 GiB": a small row never reads "0.00 GiB"); zero is
 * "0 B". With a unit --units forced, every figure in it: KiB whole, the others
 * to one decimal, a figure too small to show "<0.1 MiB", never "0.0 MiB";
 * `bare` leaves the unit out of each cell (a header names it).
 */
export function formatColumn(values: readonly number[], unit: Unit = 'auto', bare = false): string[] {
  if (unit === 'auto') return values.map((bytes) => formatBytes(bytes));
  if (unit === 'B') return values.map((bytes) => formatBytes(bytes, 'B', !bare));
  const decimals = unit === 'KiB' ? 0 : 1;
  const smallest = 10 ** -decimals;
  const suffix = bare ? '' : ` ${unit}`;
  return values.map((bytes) => {
    if (bytes === 0) return `${(0).toFixed(decimals)}${suffix}`;
    const value = bytes / SCALE[unit];
    if (Math.abs(value) < smallest / 2) return `${bytes < 0 ? '-' : ''}<${smallest.toFixed(decimals)}${suffix}`;
    return `${value.toFixed(decimals)}${suffix}`;
  });
}
