import type { Unit } from '../model/units.js';
import { displayWidth, drawWithin, fitName, wrapLines } from '../render/fitWidth.js';
import { renderTextTable } from '../render/textTable.js';
import { formatBytes, formatColumn } from '../render/units.js';
import type { ShmemKind } from './shmemObjects.js';
import type { ShmemRow } from './shmemAttribution.js';
import type { ShmemView } from './selectShmem.js';

export interface ShmemTextOptions {
  /** A terminal's columns: names shortened in their middle and notes wrapped to fit; undefined (a pipe): whole. */
  width?: number;
  fancy: boolean;
  units: Unit;
}

const KIND_LABELS: Record<ShmemKind, string> = {
  tmpfs: 'tmpfs',
  unlinked: 'unlinked',
  memfd: 'memfd',
  sysv: 'SysV',
  'shared-anonymous': 'shared-anon',
};

export const NO_HOLDER = 'held by no process';
/** No holder among the processes read, and some were not read. */
export const NO_HOLDER_READ = 'no holder read';

/** Marks a size that is a lower bound (no stat, no kernel figure: the holders' mappings only). */
const LOWER_BOUND = '≥';

/** "1234 postgres", "1234 postgres +3", or held by no process; the program shortened to `width`. */
function holdersCell(row: ShmemRow, width: number): string {
  if (row.holdersUnknown) return NO_HOLDER_READ;
  if (row.orphan) return NO_HOLDER;
  if (row.holders.length === 0) return '';
  const first = row.holders[0];
  const more = row.holders.length > 1 ? ` +${row.holders.length - 1}` : '';
  return `${first.pid} ${fitName(first.program, width)}${more}`;
}

function nameCell(row: ShmemRow, width: number): string {
  const tags: string[] = [];
  if (row.sysv?.markedForRemoval) tags.push('removed, still attached');
  const tag = tags.length > 0 ? ` (${tags.join(', ')})` : '';
  return `${fitName(row.name, Math.max(1, width - tag.length))}${tag}`;
}

/**
 * `footprint shmem`: one line per object, largest first (kind, its size, who
 * holds it, its name last, shortened in its middle to fit), then the totals:
 * meminfo's Shmem, its parts by kind, the orphans, and what is not
 * attributable and why, so that the lines add up to Shmem.
 */
export function renderShmemText(view: ShmemView, options: ShmemTextOptions): string {
  const { rows, totals } = view;
  const unitLabel = options.units === 'auto' ? '' : ` (${options.units})`;
  const sizes = formatColumn(rows.map((row) => row.bytes), options.units, options.units !== 'auto')
    .map((text, index) => (rows[index].bytesSource === 'pss' || rows[index].bytesSource === 'rss' || rows[index].bytesSource === 'unknown' ? `${LOWER_BOUND}${text}` : text));
  const longest = Math.max(0, ...rows.map((row) => displayWidth(fitName(row.name, options.width ?? Infinity))));
  const table = rows.length === 0 ? '' : drawWithin(options.width, longest, (nameWidth) => {
    const programWidth = Math.max(6, Math.min(16, Math.floor(nameWidth / 3)));
    const body = rows.map((row, index) => [KIND_LABELS[row.kind], sizes[index], holdersCell(row, programWidth), nameCell(row, nameWidth)]);
    return renderTextTable([['Kind', `Size${unitLabel}`, 'Holders', 'Name'], ...body], { fancy: options.fancy, align: ['left', 'right', 'left', 'left'], rulesAfter: [rows.length] });
  });
  const bytes = (value: number): string => formatBytes(value, options.units);
  const lines: string[] = [];
  if (view.rest.rows > 0) lines.push(`${view.rest.rows} more object${view.rest.rows === 1 ? '' : 's'}: ${bytes(view.rest.bytes)}.`);
  lines.push(`Shared memory (meminfo Shmem): ${bytes(totals.shmem)}`);
  lines.push(`  ${(Object.keys(KIND_LABELS) as ShmemKind[]).map((kind) => `${KIND_LABELS[kind]} ${bytes(totals.byKind[kind])}`).join(', ')}`);
  const objects = (count: number): string => `${count} object${count === 1 ? '' : 's'}`;
  const certain = totals.orphans - totals.maybeHeld.objects;
  if (certain > 0) lines.push(`  ${NO_HOLDER}: ${bytes(totals.orphaned - totals.maybeHeld.bytes)} in ${objects(certain)}`);
  if (totals.maybeHeld.objects > 0) {
    lines.push(`  ${NO_HOLDER_READ}: ${bytes(totals.maybeHeld.bytes)} in ${objects(totals.maybeHeld.objects)}: ${totals.unreadable} process${totals.unreadable === 1 ? '' : 'es'} not read may hold them`);
  }
  const { notAttributable } = totals;
  const unseen = notAttributable.unlinkedUnseen.map((part) => `unlinked files on ${fitName(part.mount, 40)} whose holders were not read ${bytes(part.bytes)}`);
  const readers = totals.unreadable > 0 ? ` and ${totals.unreadable} process${totals.unreadable === 1 ? '' : 'es'} not read` : '';
  const other = notAttributable.other >= 0
    ? `other ${bytes(notAttributable.other)} (GPU buffers, tmpfs of other mount namespaces, kernel users${readers})`
    : `the rows count ${bytes(-notAttributable.other)} more than Shmem (swapped tmpfs pages are in a file's blocks, not in Shmem; Shmem moved while read)`;
  lines.push(`  not attributable: ${bytes(Math.max(0, notAttributable.bytes))}: ${[...unseen, other].join('; ')}`);
  if (sizes.some((text) => text.startsWith(LOWER_BOUND))) lines.push(`  ${LOWER_BOUND} marks a size from the mappings of the holders read: a lower bound.`);
  return `${table}${wrapLines(lines.join('\n'), options.width, '    ')}\n`;
}
