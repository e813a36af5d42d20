import type { SmapsMapping } from '../kernel/procfs/smaps.js';
import { backingName, regionKind, sectionOf, type RegionKind, type Section } from './classifyMapping.js';

/** The article's four columns, in bytes. */
export interface CleanDirty {
  sharedClean: number;
  sharedDirty: number;
  privateClean: number;
  privateDirty: number;
}

export interface BreakdownRow extends CleanDirty {
  permissions: string;
  region: RegionKind;
  /** "Code", "Data", "Heap", ...; empty where the permission says nothing more. */
  label: string;
  mappings: number;
}

export interface BreakdownSection {
  section: Section;
  rows: BreakdownRow[];
  total: CleanDirty;
}

export interface ProcessBreakdown {
  mapped: BreakdownSection;
  anonymous: BreakdownSection;
  total: CleanDirty;
  /** The bottom-right figure: total Private_Dirty. */
  writable: number;
}

export interface MappingUsage extends CleanDirty {
  name: string;
  region: RegionKind;
  mappings: number;
  rss: number;
  pss: number;
  swap: number;
}

function zero(): CleanDirty {
  return { sharedClean: 0, sharedDirty: 0, privateClean: 0, privateDirty: 0 };
}

function add(into: CleanDirty, mapping: SmapsMapping): void {
  into.sharedClean += mapping.counters.sharedClean;
  into.sharedDirty += mapping.counters.sharedDirty;
  into.privateClean += mapping.counters.privateClean;
  into.privateDirty += mapping.counters.privateDirty;
}

function addTotals(into: CleanDirty, from: CleanDirty): void {
  into.sharedClean += from.sharedClean;
  into.sharedDirty += from.sharedDirty;
  into.privateClean += from.privateClean;
  into.privateDirty += from.privateDirty;
}

const FILE_LABELS: Record<string, string> = { 'r-xp': 'Code', 'rw-p': 'Data', 'r--p': 'Read-only data', '---p': 'Guard / reserved', 'r--s': 'Shared read-only' };

function rowLabel(region: RegionKind, permissions: string): string {
  switch (region) {
    case 'file': return FILE_LABELS[permissions] ?? '';
    case 'heap': return 'Heap (brk)';
    case 'stack': return 'Stack';
    case 'shared-memory': return 'Shared memory (shm, memfd)';
    case 'kernel': return 'Kernel (vdso, vvar)';
    case 'anonymous':
      return permissions === 'rw-p' ? 'Data (malloc, mmap)' : permissions === '---p' ? 'Guard / reserved' : permissions === 'r-xp' || permissions === 'rwxp' ? 'Code (JIT)' : '';
  }
}

const PERMISSION_ORDER = ['r-xp', 'rw-p', 'r--p', '---p', 'r--s', 'rw-s'];
/** The permissions column of the kernel's one row, whatever each of its mappings allows. */
export const KERNEL_PERMISSIONS = '(all)';

const REGION_ORDER: RegionKind[] = ['file', 'anonymous', 'heap', 'stack', 'shared-memory', 'kernel'];

function rowOrder(a: BreakdownRow, b: BreakdownRow): number {
  const region = REGION_ORDER.indexOf(a.region) - REGION_ORDER.indexOf(b.region);
  if (region !== 0) return region;
  const pa = PERMISSION_ORDER.indexOf(a.permissions);
  const pb = PERMISSION_ORDER.indexOf(b.permissions);
  if (pa !== pb) return (pa < 0 ? 99 : pa) - (pb < 0 ? 99 : pb);
  return a.permissions < b.permissions ? -1 : a.permissions > b.permissions ? 1 : 0;
}

/**
 * The article's table, summed one mapping at a time (see readProcessMappings'
 * onMapping): file-backed and anonymous memory, one row per permission (and,
 * for anonymous memory, per heap / stack / shared memory / the rest).
 */
export class BreakdownSum {
  private readonly rows = new Map<string, BreakdownRow>();

  add(mapping: SmapsMapping): void {
    const region = regionKind(mapping);
    // The kernel's mappings (vdso r-xp, vvar r--p, vsyscall --xp) are one thing to a reader: one row.
    const permissions = region === 'kernel' ? KERNEL_PERMISSIONS : mapping.permissions.text;
    const key = `${region} ${permissions}`;
    let row = this.rows.get(key);
    if (row === undefined) {
      row = { permissions, region, label: rowLabel(region, permissions), mappings: 0, ...zero() };
      this.rows.set(key, row);
    }
    row.mappings++;
    add(row, mapping);
  }

  result(): ProcessBreakdown {
    const sections = (['mapped', 'anonymous'] as const).map((section): BreakdownSection => {
      const sectionRows = [...this.rows.values()].filter((row) => sectionOf(row.region) === section).sort(rowOrder);
      const total = zero();
      for (const row of sectionRows) addTotals(total, row);
      return { section, rows: sectionRows, total };
    });
    const total = zero();
    addTotals(total, sections[0].total);
    addTotals(total, sections[1].total);
    return { mapped: sections[0], anonymous: sections[1], total, writable: total.privateDirty };
  }
}

/** The article's table of a list of mappings (BreakdownSum). */
export function breakdownProcess(mappings: readonly SmapsMapping[]): ProcessBreakdown {
  const sum = new BreakdownSum();
  for (const mapping of mappings) sum.add(mapping);
  return sum.result();
}

/** `show --mappings`, summed one mapping at a time: one row per backing (library, executable, [heap], [stack], anonymous). */
export class UsageSum {
  private readonly usage = new Map<string, MappingUsage>();

  add(mapping: SmapsMapping): void {
    const name = backingName(mapping);
    let entry = this.usage.get(name);
    if (entry === undefined) {
      entry = { name, region: regionKind(mapping), mappings: 0, rss: 0, pss: 0, swap: 0, ...zero() };
      this.usage.set(name, entry);
    }
    entry.mappings++;
    entry.rss += mapping.counters.rss;
    entry.pss += mapping.counters.pss;
    entry.swap += mapping.counters.swapPss ?? mapping.counters.swap;
    add(entry, mapping);
  }

  /** Largest private dirty first. */
  result(): MappingUsage[] {
    return [...this.usage.values()].sort((a, b) =>
      b.privateDirty - a.privateDirty || b.privateClean - a.privateClean || b.rss - a.rss || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
}

/** One row per backing of a list of mappings (UsageSum), largest private dirty first. */
export function usageByMapping(mappings: readonly SmapsMapping[]): MappingUsage[] {
  const sum = new UsageSum();
  for (const mapping of mappings) sum.add(mapping);
  return sum.result();
}
