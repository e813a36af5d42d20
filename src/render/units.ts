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
 * A column of sizes in one unit, so that figures compare at a glance (never
 * "1006.6 MiB" above "1.0 GiB"): with `auto`, the unit of the column's largest
 * figure, GiB to two decimals (10 MiB steps) and the others to one. A figure
 * too small to show in that unit is "<0.1 MiB", never "0.0 MiB"; zero is "0 B".
 */
export function formatColumn(values: readonly number[], unit: Unit = 'auto'): string[] {
  const chosen = unit === 'auto' ? autoUnit(Math.max(0, ...values.map(Math.abs))) : unit;
  if (chosen === 'B') return values.map((bytes) => formatBytes(bytes, 'B'));
  const decimals = unit === 'auto' ? (chosen === 'GiB' ? 2 : 1) : chosen === 'KiB' ? 0 : 1;
  const smallest = 10 ** -decimals;
  return values.map((bytes) => {
    if (bytes === 0) return unit === 'auto' ? '0 B' : `${(0).toFixed(decimals)} ${chosen}`;
    const value = bytes / SCALE[chosen];
    if (Math.abs(value) < smallest / 2) return `${bytes < 0 ? '-' : ''}<${smallest.toFixed(decimals)} ${chosen}`;
    return `${value.toFixed(decimals)} ${chosen}`;
  });
}
