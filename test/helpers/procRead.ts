/**
 * Independent reads of /proc for the live tests: the figures footprint is
 * compared against. Deliberately written apart from src/ (no shared parser),
 * so a bug there cannot hide by agreeing with itself.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readlinkSync } from 'node:fs';
import type { SummedFigure } from '../../src/model/figures.js';

const KIB = 1024;

/** "Key:   123 kB" lines of a file, as bytes (fields without kB kept as plain numbers). */
function keyedBytes(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Za-z_]+):\s+(\d+)(?: kB)?$/.exec(line.trim());
    if (m) out[m[1]] = Number(m[2]) * (line.trim().endsWith(' kB') ? KIB : 1);
  }
  return out;
}

/** /proc/PID/smaps_rollup, fields in bytes. */
export function readRollup(pid: number, procRoot = '/proc'): Record<string, number> {
  return keyedBytes(readFileSync(`${procRoot}/${pid}/smaps_rollup`, 'utf8'));
}

/** /proc/PID/status memory fields (VmRSS, RssAnon, ...), in bytes. */
export function readStatusBytes(pid: number): Record<string, number> {
  return keyedBytes(readFileSync(`/proc/${pid}/status`, 'utf8'));
}

/** Field 3 (state) of /proc/PID/stat. */
export function readState(pid: number): string {
  const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return text.slice(text.lastIndexOf(')') + 2).split(' ')[0];
}

export interface RawMapping {
  perms: string;
  /** Everything after the inode column, e.g. "[heap]", "/dev/zero (deleted)", "". */
  name: string;
  fields: Record<string, number>;
}

const HEADER = /^[0-9a-f]+-[0-9a-f]+\s+(\S{4})\s+\S+\s+\S+\s+\d+\s*(.*)$/;

/** /proc/PID/smaps, one entry per mapping, fields in bytes. */
export function readSmaps(pid: number): RawMapping[] {
  const mappings: RawMapping[] = [];
  for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
    const header = HEADER.exec(line);
    if (header) {
      mappings.push({ perms: header[1], name: header[2], fields: {} });
      continue;
    }
    const m = /^([A-Za-z_]+):\s+(\d+) kB$/.exec(line);
    if (m && mappings.length > 0) mappings[mappings.length - 1].fields[m[1]] = Number(m[2]) * KIB;
  }
  return mappings;
}

export interface FourColumns {
  sharedClean: number;
  sharedDirty: number;
  privateClean: number;
  privateDirty: number;
}

/** The article's four columns summed over some mappings. */
export function sumColumns(mappings: readonly RawMapping[]): FourColumns {
  const total = { sharedClean: 0, sharedDirty: 0, privateClean: 0, privateDirty: 0 };
  for (const { fields } of mappings) {
    total.sharedClean += fields.Shared_Clean ?? 0;
    total.sharedDirty += fields.Shared_Dirty ?? 0;
    total.privateClean += fields.Private_Clean ?? 0;
    total.privateDirty += fields.Private_Dirty ?? 0;
  }
  return total;
}

export function sumField(mappings: readonly RawMapping[], field: string): number {
  return mappings.reduce((sum, m) => sum + (m.fields[field] ?? 0), 0);
}

/** The report figures footprint should give for one rollup, computed here from the kernel's fields. */
export type ExpectedFigures = Record<SummedFigure, number>;

export function figuresFromRollup(r: Record<string, number>): ExpectedFigures {
  const priv = r.Private_Clean + r.Private_Dirty + (r.Private_Hugetlb ?? 0);
  const shared = r.Pss - (r.Private_Clean + r.Private_Dirty);
  return {
    writable: r.Private_Dirty,
    privateClean: r.Private_Clean,
    private: priv,
    shared,
    ram: priv + shared,
    pss: r.Pss,
    rss: r.Rss,
    swap: r.SwapPss ?? r.Swap,
  };
}

export function sumFigures(list: readonly ExpectedFigures[]): ExpectedFigures {
  const total: ExpectedFigures = { writable: 0, privateClean: 0, private: 0, shared: 0, ram: 0, pss: 0, rss: 0, swap: 0 };
  for (const f of list) for (const key of Object.keys(total) as (keyof ExpectedFigures)[]) total[key] += f[key];
  return total;
}

/** A PID no process holds now (checked, not assumed). */
export function freePid(): number {
  for (const pid of [999_999, 3_999_999, 4_194_000]) if (!existsSync(`/proc/${pid}`)) return pid;
  throw new Error('no free PID among the candidates');
}

/**
 * Resolves once PID has exec'ed `exe`, is asleep (state S), and the figures
 * that are its own (Rss, Private_Dirty) read the same twice, 100 ms apart: a
 * process just spawned is still loading its libraries for a while, longer on a
 * busy machine. (How its clean pages split into shared and private moves
 * whenever a neighbour maps the same file, so that is not waited for.)
 */
export async function untilSettled(pid: number, exe: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const { Rss, Private_Dirty } = readRollup(pid);
    const now = `${Rss} ${Private_Dirty}`;
    if (readlinkSync(`/proc/${pid}/exe`) === exe && readState(pid) === 'S' && now === last) return;
    last = now;
  }
  throw new Error(`PID ${pid} did not settle as ${exe} within ${timeoutMs} ms`);
}

/**
 * The kernel's totalreserve_pages from /proc/zoneinfo, in bytes, read apart from
 * src/: per zone min(managed, max(protection) + high - boost), summed; the page
 * size from getconf, not from the files.
 */
export function zoneReserveBytes(): number {
  const pageSize = Number(execFileSync('getconf', ['PAGESIZE'], { encoding: 'utf8' }).trim());
  let pages = 0;
  for (const zone of readFileSync('/proc/zoneinfo', 'utf8').split(/^Node \d+, zone +\S+$/m).slice(1)) {
    const field = (name: string) => Number(new RegExp(`^ +${name} +(\\d+)$`, 'm').exec(zone)?.[1] ?? 0);
    const protection = Math.max(...(/protection: \(([^)]*)\)/.exec(zone)![1].split(',').map(Number)));
    const managed = field('managed');
    pages += Math.min(managed, Math.min(managed, protection) + field('high') - field('boost'));
  }
  return pages * pageSize;
}
