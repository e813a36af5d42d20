import type { Unit } from '../model/units.js';
import { fitName } from '../render/fitWidth.js';
import { formatBytes } from '../render/units.js';
import type { ShmemKind } from './shmemObjects.js';
import type { ShmemAttribution } from './shmemAttribution.js';

/** How many holders the System block names. */
export const HIGHLIGHTED = 3;

/** The largest objects of shared memory and the orphans' total: what the report's System block says of Shmem. */
export interface ShmemHighlights {
  largest: { kind: ShmemKind; name: string; bytes: number; pids: number[]; program?: string }[];
  orphaned: number;
  orphans: number;
  /** Of those, held maybe by a process not read. */
  maybeHeld: number;
  shmem: number;
}

export function shmemHighlights(attribution: ShmemAttribution): ShmemHighlights {
  const { rows, totals } = attribution;
  return {
    largest: rows.slice(0, HIGHLIGHTED).map((row) => {
      const entry: ShmemHighlights['largest'][number] = { kind: row.kind, name: row.name, bytes: row.bytes, pids: row.pids };
      if (row.holders.length > 0) entry.program = row.holders[0].program;
      return entry;
    }),
    orphaned: totals.orphaned,
    orphans: totals.orphans,
    maybeHeld: totals.maybeHeld.bytes,
    shmem: totals.shmem,
  };
}

/**
 * The System block's shared-memory line: its three largest holders and the
 * orphans' total, and where to see the rest. Names escaped and cut to a few
 * dozen columns: a line, not a table.
 */
export function describeShmemHighlights(highlights: ShmemHighlights, units: Unit = 'auto'): string {
  const fmt = (bytes: number) => formatBytes(bytes, units);
  const named = highlights.largest.map((entry) => {
    const holder = entry.pids.length === 0 ? 'no holder' : `${entry.program === undefined ? '' : `${fitName(entry.program, 16)} `}${entry.pids[0]}${entry.pids.length > 1 ? ` +${entry.pids.length - 1}` : ''}`;
    return `${fitName(entry.name, 32)} ${fmt(entry.bytes)} (${holder})`;
  });
  const parts = [`Shared memory ${fmt(highlights.shmem)}`];
  if (named.length > 0) parts.push(`largest: ${named.join(', ')}`);
  if (highlights.orphans > 0) {
    const maybe = highlights.maybeHeld > 0 ? `, ${fmt(highlights.maybeHeld)} of it perhaps held by processes not read` : '';
    parts.push(`held by no process: ${fmt(highlights.orphaned)} in ${highlights.orphans} object${highlights.orphans === 1 ? '' : 's'}${maybe}`);
  }
  return `${parts.join('; ')}; footprint shmem names every holder.`;
}
