/**
 * The units sizes are printed in (--units): `auto` picks per figure or per
 * column (render/units.ts), the others are binary and fixed. The one list the
 * options and the renderers share.
 */
export const UNITS = ['auto', 'B', 'KiB', 'MiB', 'GiB'] as const;
export type Unit = (typeof UNITS)[number];
