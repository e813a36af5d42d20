import { FIGURE_SPECS, type MemoryFigures } from './figures.js';

export type { MemoryFigures } from './figures.js';

import type { FigureSpec } from './figures.js';

/** Every figure at 0, but the optional ones: unknown until a process has them. */
export function zeroFigures(): MemoryFigures {
  return Object.fromEntries(FIGURE_SPECS.filter((figure) => figure.optional !== true).map((figure) => [figure.key, 0])) as MemoryFigures;
}

/** Adds a process's or a group's figures into a group's: summed, or the highest where the row says so; an unknown one adds nothing. */
export function addFigures(into: MemoryFigures, from: MemoryFigures): void {
  const target = into as Record<string, number | undefined>;
  const source = from as Record<string, number | undefined>;
  // Indexed, not for...of: serve runs baseline code only (--max-opt=1), where each step of an iterator is an object.
  for (let index = 0; index < FIGURE_SPECS.length; index++) {
    const figure = FIGURE_SPECS[index];
    const value = source[figure.key];
    if (value === undefined) continue;
    const now = target[figure.key];
    target[figure.key] = now === undefined ? value : figure.combine === 'max' ? Math.max(now, value) : now + value;
  }
}
