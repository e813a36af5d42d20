import { parsed, parseFailure, type Parsed } from './parseResult.js';

/** One memory zone of /proc/zoneinfo (a node's DMA, DMA32, Normal, Movable ...). Counts are in pages. */
export interface Zone {
  node: number;
  name: string;
  /** `pages free`. */
  free: number;
  /** The watermarks as printed, which include `boost` (low_wmark_pages() and high_wmark_pages()). */
  min: number;
  low: number;
  high: number;
  /** Since Linux 5.0: the temporary raise of the watermarks after fragmentation events; 0 before. */
  boost: number;
  /** Pages the buddy allocator manages (`managed`, Linux 3.8+; `present` before). */
  managed: number;
  /** lowmem_reserve[]: pages this zone keeps back from allocations that could have used a higher zone. */
  protection: number[];
  /** Free pages held in the per-CPU lists (the `count:` of every pageset): not in MemFree. */
  perCpuFree: number;
  /** Every other `key N` line of the zone (nr_free_pages, nr_zone_active_file, spanned, present ...). */
  counters: Record<string, number>;
}

export interface Zoneinfo {
  zones: Zone[];
  /** The `per-node stats` counters (nr_active_file, nr_anon_pages ...), summed over the nodes, in pages. */
  nodeCounters: Record<string, number>;
}

type Section = 'node' | 'zone' | 'pagesets';

const ZONE_HEADER = /^Node (\d+), zone\s+(\S+)$/;
const PAGES_FREE = /^pages free\s+(\d+)$/;
const COUNTER = /^([a-z_]+)\s+(-?\d+)$/;
const PROTECTION = /^protection: \(([\d, ]*)\)$/;
/** "count:    4555", "cpu: 0", "vm stats threshold: 24", "start_pfn:  1048576", "node_unreclaimable:  0". */
const COLON_VALUE = /^([a-z_ ]+):\s+(-?\d+)$/;

function newZone(node: number, name: string): Zone {
  return { node, name, free: 0, min: -1, low: -1, high: -1, boost: 0, managed: -1, protection: [], perCpuFree: 0, counters: {} };
}

/**
 * /proc/zoneinfo (world-readable): per zone, its free pages, watermarks,
 * lowmem protection and per-CPU lists; before the first zone of each node,
 * that node's counters. The kernel's MemAvailable is computed from these
 * (reduce/memAvailable.ts). Lines of other shapes are errors with their number.
 */
export function parseZoneinfo(text: string): Parsed<Zoneinfo> {
  const zones: Zone[] = [];
  const nodeCounters: Record<string, number> = {};
  let zone: Zone | undefined;
  let section: Section = 'zone';
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '') continue;
    const fail = (reason: string) => parseFailure<Zoneinfo>('zoneinfo', i + 1, lines[i], reason);
    const header = ZONE_HEADER.exec(line);
    if (header !== null) {
      zone = newZone(Number(header[1]), header[2]);
      zones.push(zone);
      section = 'zone';
      continue;
    }
    if (zone === undefined) return fail('expected "Node N, zone NAME"');
    if (line === 'per-node stats') {
      section = 'node';
      continue;
    }
    if (line === 'pagesets') {
      section = 'pagesets';
      continue;
    }
    const free = PAGES_FREE.exec(line);
    if (free !== null) {
      zone.free = Number(free[1]);
      section = 'zone';
      continue;
    }
    const protection = PROTECTION.exec(line);
    if (protection !== null) {
      zone.protection = protection[1].split(',').map((part) => Number(part.trim()));
      continue;
    }
    const counter = COUNTER.exec(line);
    if (counter !== null) {
      const [, key, value] = counter;
      if (section === 'node') nodeCounters[key] = (nodeCounters[key] ?? 0) + Number(value);
      else takeZoneCounter(zone, key, Number(value));
      continue;
    }
    const colonValue = COLON_VALUE.exec(line);
    if (colonValue !== null) {
      if (section === 'pagesets' && colonValue[1] === 'count') zone.perCpuFree += Number(colonValue[2]);
      continue;
    }
    return fail('expected "key N"');
  }
  if (zones.length === 0) return parseFailure('zoneinfo', 1, lines[0] ?? '', 'no zones');
  for (const each of zones) {
    if (each.min < 0 || each.low < 0 || each.high < 0) {
      return parseFailure('zoneinfo', 1, `Node ${each.node}, zone ${each.name}`, 'a zone without min, low and high watermarks');
    }
    if (each.managed < 0) each.managed = each.counters.present ?? 0;
  }
  return parsed({ zones, nodeCounters });
}

function takeZoneCounter(zone: Zone, key: string, value: number): void {
  switch (key) {
    case 'min': zone.min = value; break;
    case 'low': zone.low = value; break;
    case 'high': zone.high = value; break;
    case 'boost': zone.boost = value; break;
    case 'managed': zone.managed = value; break;
    default: zone.counters[key] = value;
  }
}
