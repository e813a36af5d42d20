import type { ReportView } from '../reduce/buildReport.js';
import type { CgroupHolding, HiddenProcesses, SystemPart } from '../model/report.js';
import { escapeText } from './escapeText.js';
import { shortLabel } from '../reduce/systemMemory.js';
import { formatBytes, type Unit } from './units.js';

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 'es'}`;
}

/**
 * The line that says what the table leaves out and why. Kernel threads and
 * zombies hold no user memory, so they are counted but are not a loss.
 */
export function renderCoverageLine(view: ReportView): string {
  const { scan } = view.report;
  const parts: string[] = [];
  const deniedOthers = view.deniedOtherUsers;
  const deniedOwn = scan.denied - deniedOthers;
  const estimated = scan.estimated;
  if (view.captured === true && scan.denied > 0) {
    // Offline, whose they were and who reads now tell nothing: the capture simply lacks their files.
    const them = scan.denied === 1 ? 'it' : 'them';
    parts.push(estimated > 0
      ? `${plural(scan.denied, 'process')} not in the capture (the user who captured could not read ${them}), estimated from the status it holds (marked ~)`
      : `${plural(scan.denied, 'process')} not in the capture (the user who captured could not read ${them}); --estimate weighs ${them} from the status it holds`);
  } else if (deniedOthers > 0) {
    parts.push(estimated > 0
      ? `${plural(deniedOthers, 'process')} of other users not readable, estimated from /proc/PID/status (marked ~)`
      : `${plural(deniedOthers, 'process')} of other users not readable; run as root, or --estimate`);
  }
  if (deniedOwn > 0 && view.captured !== true) {
    parts.push(`${plural(deniedOwn, 'process')} not readable even by this user (ptrace restrictions)${estimated > 0 && deniedOthers === 0 ? ', estimated (marked ~)' : ''}`);
  }
  // A PID asked for by number that is not there may never have existed: say no more than that.
  const absent = view.absentPids ?? [];
  if (absent.length > 0) parts.push(`no such process: PID ${absent.join(', ')}`);
  if (scan.gone > absent.length) parts.push(`${plural(scan.gone - absent.length, 'process')} exited during the scan`);
  const malformed = scan.malformed ?? 0;
  if (malformed > 0) parts.push(`${plural(malformed, 'process')} malformed (files that are not what the kernel writes)`);
  if (scan.hidden !== undefined && scan.hidden.tasks !== 0) parts.push(hiddenPart(scan.hidden));
  if (view.selfPid !== undefined) parts.push(`footprint itself (PID ${view.selfPid})`);
  const quiet = `${scan.kernelThreads} kernel thread${scan.kernelThreads === 1 ? '' : 's'} and ${scan.zombies} zombie${scan.zombies === 1 ? '' : 's'} hold no user memory`;
  const lead = parts.length === 0 ? 'Nothing left out' : `Left out: ${parts.join('; ')}`;
  return `${lead}. ${quiet}; ${scan.measured} of ${scan.seen} processes measured in ${scan.ms} ms.`;
}

/**
 * What the mount hides: the kernel counts tasks (threads), not processes, so
 * the figure is a number of tasks, and "up to" that many processes.
 */
function hiddenPart(hidden: HiddenProcesses): string {
  const by = `this /proc is mounted ${hidden.by}`;
  if (hidden.tasks === undefined) return `an unknown number of other users' processes this /proc hides (${by}; no /proc/loadavg to count them)`;
  const tasks = `${hidden.tasks} task${hidden.tasks === 1 ? '' : 's'}`;
  return `up to ${plural(hidden.tasks, 'process')} footprint cannot see (${by}: ${tasks} the kernel counts, threads included, beyond the threads of the processes listed)`;
}

/** A part gets a line of its own from this share of used memory up; smaller ones share the last line. */
const OWN_LINE_SHARE = 0.02;

function partDetail(part: SystemPart, fmt: (bytes: number) => string): string {
  if (part.measured === undefined) return shortLabel(part);
  const others = Math.max(0, part.bytes - part.measured);
  if (part.key === 'anon') return `${shortLabel(part)}: ${fmt(part.measured)} in the processes measured, ${fmt(others)} in processes not measured`;
  return `${shortLabel(part)}: ${fmt(part.measured)} mapped by the processes measured, ${fmt(others)} not (files, or processes not measured)`;
}

/** A part's name in the short summary: a few words. */
const SUMMARY_NAMES: Partial<Record<SystemPart['key'], string>> = {
  shmem: 'shared memory and tmpfs not mapped',
  unevictableCache: 'unevictable page cache',
  slabUnreclaimable: 'unreclaimable slab',
  kernelStacks: 'kernel stacks',
  pageTables: 'page tables',
  percpu: 'per-CPU allocations',
  vmalloc: 'vmalloc',
  hugetlb: 'huge pages',
  kernelReserve: 'kernel reserve',
  cacheHeldBack: 'cache held back',
  reclaimableHeldBack: 'reclaimable held back',
  perCpuLists: 'per-CPU free lists',
  uncounted: 'kernel, uncounted',
};

/** How many of the parts no process holds the summary names. */
const SUMMARY_PARTS = 3;

/**
 * The System block as a bare report prints it: used memory, what of it the
 * processes measured hold, and the largest parts no process holds, in at most
 * three lines on a terminal (`--system` gives every part).
 */
export function renderSystemSummary(view: ReportView, units: Unit): string {
  const { system } = view.report;
  const fmt = (bytes: number) => formatBytes(bytes, units);
  const share = system.used > 0 ? ` (${Math.round((100 * Math.min(system.accounted, system.used)) / system.used)}%)` : '';
  const head = `System: ${fmt(system.used)} used of ${fmt(system.memTotal)}, ${fmt(system.accounted)}${share} in the processes measured.`;
  // Anonymous memory is the processes' own (measured or not); of shared memory, what no process measured maps.
  const apart = (system.parts ?? [])
    .filter((part) => part.key !== 'anon')
    .map((part) => ({ part, bytes: Math.max(0, part.bytes - (part.measured ?? 0)) }))
    .filter((entry) => entry.bytes > 0)
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, SUMMARY_PARTS);
  if (apart.length === 0) return `${head}\n`;
  const named = apart.map(({ part, bytes }) => `${SUMMARY_NAMES[part.key] ?? shortLabel(part).split(/[:,]/)[0]} ${fmt(bytes)}`);
  return `${head}\n  In no process: ${named.join(', ')}; --system itemises.\n`;
}

/**
 * used memory (MemTotal - MemAvailable), part by part, largest first, tied to
 * the table where the kernel says how much of a part the processes hold.
 */
export function renderSystemLines(view: ReportView, units: Unit): string {
  const { system } = view.report;
  const fmt = (bytes: number) => formatBytes(bytes, units);
  const head = `System: ${fmt(system.used)} used of ${fmt(system.memTotal)} (MemTotal - MemAvailable)`;
  const parts = [...(system.parts ?? [])].filter((part) => part.bytes > 0).sort((a, b) => b.bytes - a.bytes);
  if (parts.length === 0) return `${head}.\n`;
  const own = parts.filter((part) => part.bytes >= system.used * OWN_LINE_SHARE || part.measured !== undefined);
  const small = parts.filter((part) => !own.includes(part));
  const sizes = own.map((part) => fmt(part.bytes));
  const width = Math.max(...sizes.map((size) => size.length));
  const lines = own.map((part, index) => `  ${sizes[index].padStart(width)}  ${partDetail(part, fmt)}`);
  if (small.length > 0) {
    const together = small.reduce((sum, part) => sum + part.bytes, 0);
    lines.push(`  ${fmt(together).padStart(width)}  in ${small.length} smaller part${small.length === 1 ? '' : 's'}: ${small.map((part) => `${shortLabel(part).split(':')[0]} ${fmt(part.bytes)}`).join(', ')}`);
  }
  const itemised = parts.reduce((sum, part) => sum + part.bytes, 0);
  if (system.partsUnknown !== undefined) {
    lines.push(`  ${fmt(Math.max(0, system.used - itemised)).padStart(width)}  not itemised: the kernel reserve and the cache MemAvailable holds back (no zoneinfo read)`);
  } else if (Math.abs(itemised - system.used) > system.used * 0.01) {
    lines.push(`  The parts add up to ${fmt(itemised)}, not ${fmt(system.used)}: this kernel's MemAvailable is not the formula footprint knows.`);
  }
  lines.push(...cgroupLines(view, fmt));
  return `${head}, part by part:\n${lines.join('\n')}\n`;
}

/** Where the page cache and the slab are charged: the cgroups holding most of each, or why none is named. */
function cgroupLines(view: ReportView, fmt: (bytes: number) => string): string[] {
  const { system } = view.report;
  const cgroups = system.cgroups;
  if (cgroups === undefined) return [];
  const named = (list: readonly CgroupHolding[]) => (list.length === 0 ? 'none' : list.map((entry) => `${escapeText(entry.path)} ${fmt(entry.bytes)}`).join(', '));
  const lines = [`  Page cache, by the cgroup charged (v${cgroups.version} memory.stat ${cgroups.version === 2 ? 'file' : 'cache'}, its own, not its children's): ${named(cgroups.pageCache)}.`];
  lines.push(cgroups.slab === undefined
    ? '  Slab, by cgroup: unknown (cgroup v1\'s memory.stat has no slab figure).'
    : `  Slab, by the cgroup charged (memory.stat slab): ${named(cgroups.slab)}.`);
  if (cgroups.unreadable > 0) lines.push(`  (${cgroups.unreadable} cgroup${cgroups.unreadable === 1 ? '' : 's'} whose memory.stat could not be read left out.)`);
  return lines;
}
