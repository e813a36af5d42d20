import { FIGURES, type MemoryFigures } from './figures.js';

export type { MemoryFigures } from './figures.js';

export function zeroFigures(): MemoryFigures {
  return Object.fromEntries(FIGURES.map((figure) => [figure.key, 0])) as MemoryFigures;
}

export function addFigures(into: MemoryFigures, from: MemoryFigures): void {
  for (const { key } of FIGURES) into[key] += from[key];
}
