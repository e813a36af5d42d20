export type Unit = 'auto' | 'B' | 'KiB' | 'MiB' | 'GiB';

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
