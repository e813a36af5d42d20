import type { Unit } from '../model/units.js';
import { displayWidth, drawWithin, fitName, wrapLines } from '../render/fitWidth.js';
import { csvField } from '../render/reportCsv.js';
import { renderTextTable } from '../render/textTable.js';
import { formatBytes } from '../render/units.js';
import type { CgroupShmem } from './shmemByCgroup.js';

/** How many objects a cgroup's line names; the rest are counted. */
const NAMED = 2;

/**
 * `footprint shmem --by-cgroup`: one line per memory cgroup, its memory.stat
 * shmem beside the bytes of the objects its processes hold and the largest of
 * them. Not reconciled: the kernel charges a page to the cgroup that first
 * touched it, which may hold it no more (an orphan's charge has no holder).
 */
export function renderShmemCgroupText(cgroups: readonly CgroupShmem[], options: { width?: number; fancy: boolean; units: Unit }): string {
  const bytes = (value: number | undefined): string => (value === undefined ? '-' : formatBytes(value, options.units));
  const objects = (entry: CgroupShmem, nameWidth: number): string => {
    const named = entry.rows.slice(0, NAMED).map((row) => fitName(row.name, nameWidth));
    const more = entry.rows.length - named.length;
    return `${named.join(', ')}${more > 0 ? ` +${more}` : ''}`;
  };
  const longest = Math.max(8, ...cgroups.map((entry) => displayWidth(fitName(entry.cgroup))));
  const table = cgroups.length === 0 ? '' : drawWithin(options.width, longest, (nameWidth) => renderTextTable(
    [['Cgroup', 'Charged', 'Held', 'Objects held'], ...cgroups.map((entry) => [fitName(entry.cgroup, nameWidth), bytes(entry.charged), bytes(entry.held), objects(entry, Math.max(8, nameWidth))])],
    { fancy: options.fancy, align: ['left', 'right', 'right', 'left'], rulesAfter: [cgroups.length] },
  ));
  const note = 'Charged: memory.stat shmem (v1: the cgroup\'s own; v2: its subtree\'s). Held: the objects its processes map or hold open (an object held across cgroups is under each). '
    + 'The two differ where a page was first touched by a process of another cgroup, or by one that left: an orphan is charged and held by none.';
  return `${table}${wrapLines(note, options.width, '  ')}\n`;
}

/** The cgroups as JSON (in `footprint.shmem/1`'s `cgroups`): each object named, not repeated whole. */
export function shmemCgroupsJson(cgroups: readonly CgroupShmem[]): unknown[] {
  return cgroups.map((entry) => ({
    cgroup: entry.cgroup, charged: entry.charged ?? null, held: entry.held,
    objects: entry.rows.map((row) => ({ kind: row.kind, name: row.name, bytes: row.bytes })),
  }));
}

/** `--by-cgroup --csv`: cgroup,charged,held,objects (the count); blank where unknown. */
export function renderShmemCgroupCsv(cgroups: readonly CgroupShmem[]): string {
  const lines = ['cgroup,charged,held,objects'];
  for (const entry of cgroups) lines.push([csvField(entry.cgroup), entry.charged === undefined ? '' : String(entry.charged), String(entry.held), String(entry.rows.length)].join(','));
  return `${lines.join('\n')}\n`;
}
