import { victimText } from './renderCgroupTable.js';
import { escapeText } from './escapeText.js';
import { drawWithin, displayWidth, fitName, widestLine, wrapLines } from './fitWidth.js';
import { renderTextTable } from './textTable.js';
import { formatBytes } from './units.js';
import { shortPartLabel } from '../cgroups/core/chargeParts.js';
import type { CgroupRow } from '../cgroups/core/model.js';

/** The share of a part, as the System block shows it. */
function percentOf(bytes: number, total: number): string {
  return total === 0 ? '0.0%' : `${((bytes / total) * 100).toFixed(1)}%`;
}

/**
 * One cgroup, part by part: its charge split from memory.stat (parts that add
 * up to it), the processes' side beside anon and shmem, the limits, and the
 * working set as cAdvisor and the kubelet compute it. On a terminal (`width`)
 * nothing wraps: the path shortened in its middle, the table without its FROM
 * column and then with its parts' names shortened where it is too wide, the
 * lines under it wrapped at words. No width (a pipe, --wide): whole.
 */
export function renderCgroupParts(row: CgroupRow, fancy: boolean, width?: number): string {
  const version = ` (cgroup v${row.version})`;
  const path = width === undefined ? escapeText(row.path) : fitName(row.path, Math.max(8, width - 'cgroup '.length - version.length));
  const out: string[] = [`cgroup ${path}${version}\n`];
  const prose = (text: string) => out.push(wrapLines(text, width, '  '));
  const charge = row.charge;
  if (charge === undefined) {
    prose(`charge unknown: ${row.unreadable.length > 0 ? row.unreadable.map((problem) => escapeText(problem)).join('; ') : 'no memory.stat or counter here'}\n`);
    return out.join('');
  }
  const held = row.held;
  // Each part: its name, size, share, the memory.stat field (or file) it comes from, and the processes' side of it.
  const parts: string[][] = [];
  let sum = 0;
  for (const part of charge.parts) {
    sum += part.bytes;
    let measured = '';
    if (held !== undefined && part.key === 'anon' && held.pssAnon !== undefined) measured = `${formatBytes(held.pssAnon)} Pss_Anon`;
    if (held !== undefined && part.key === 'shmem' && held.pssShmem !== undefined) measured = `${formatBytes(held.pssShmem)} Pss_Shmem`;
    parts.push([shortPartLabel(part.label), formatBytes(part.bytes), percentOf(part.bytes, charge.charge), part.label.slice(part.label.lastIndexOf(' (') + 2, -1), measured]);
  }
  parts.push(['charge', formatBytes(charge.charge), '', charge.source === 'memory.current' ? 'memory.current' : 'the parts above', '']);
  const draw = (withSource: boolean, partWidth: number) => {
    const pick = (cells: string[]) => (withSource ? cells : cells.filter((_cell, column) => column !== 3));
    const table = [pick(['PART', 'SIZE', 'SHARE', 'FROM', 'PROCESSES HOLD']), ...parts.map((cells) => pick([fitName(cells[0], partWidth), ...cells.slice(1)]))];
    return renderTextTable(table, { fancy, align: pick(['left', 'right', 'right', 'left', 'right']) as ('left' | 'right')[], rulesAfter: [charge.parts.length] });
  };
  const whole = draw(true, Infinity);
  const withSource = width === undefined || widestLine(whole) <= width;
  const longestPart = Math.max(...parts.map((cells) => displayWidth(cells[0])));
  out.push(withSource ? whole : drawWithin(width, longestPart, (partWidth) => draw(false, partWidth)));
  if (!withSource) prose('Where each part comes from (the FROM column): --wide, or --json.\n');
  const details = charge.parts.find((part) => part.dirty !== undefined);
  if (details !== undefined) prose(`Of the page cache, ${formatBytes(details.dirty!)} is dirty and ${formatBytes(details.writeback ?? 0)} under writeback.\n`);
  if (sum !== charge.charge) prose(`The parts add up to ${formatBytes(sum)}, ${percentOf(Math.abs(sum - charge.charge), charge.charge)} off the charge (memory.stat reaches its counters in per-CPU batches).\n`);
  for (const unknown of charge.unknown) prose(`Unknown: ${unknown}.\n`);
  if (charge.counter !== undefined) {
    prose(`The kernel's counter, usage_in_bytes, says ${formatBytes(charge.counter)}: fuzzy by design (each CPU charges pages ahead in batches), so the charge is the stats'.\n`);
  }
  if (held !== undefined) {
    prose(`Processes: ${held.processes} in this cgroup and below, ${held.measured} measured: writable (Private_Dirty) ${formatBytes(held.writable)}, Pss ${formatBytes(held.pss)}`
      + (held.pssAnon !== undefined ? `, Pss_Anon ${formatBytes(held.pssAnon)}, Pss_Shmem ${formatBytes(held.pssShmem!)}` : '') + '.\n');
  } else prose('Processes: unknown (a captured cgroup tree without --proc-root).\n');
  const usage = charge.counter ?? charge.charge;
  prose(`Working set (cAdvisor's container_memory_working_set_bytes; the kubelet's memory.available and kubectl top): ${row.version === 2 ? 'memory.current' : 'usage_in_bytes'} ${formatBytes(usage)}`
    + ` - inactive file ${formatBytes(charge.inactiveFile)} = ${formatBytes(charge.workingSet)}; eviction and kubectl top see this, active page cache included.\n`);
  const { max, high } = row.limits;
  const limitLine = [`Limit: ${max === undefined ? 'unknown' : max === null ? 'none' : formatBytes(max)}`];
  if (high !== undefined) limitLine.push(`${row.version === 1 ? 'soft limit' : 'high'} ${high === null ? 'none' : formatBytes(high)}`);
  if (row.headroom !== undefined) limitLine.push(`headroom ${formatBytes(row.headroom)} (${row.headroomPercent!.toFixed(1)}%)`);
  if (row.peak !== undefined) limitLine.push(`peak ${formatBytes(row.peak)}`);
  if (row.oom?.oomKills !== undefined) limitLine.push(`OOM kills ${row.oom.oomKills}`);
  prose(`${limitLine.join(', ')}.\n`);
  if (row.nextVictim !== undefined) {
    const victim = row.nextVictim;
    prose(victim.pid === null
      ? `Next victim: none (every member scored is exempt: oom_score_adj -1000).\n`
      : `Next victim: ${victimText(row)}, the highest oom_score of ${victim.scored} member${victim.scored === 1 ? '' : 's'} scored.\n`);
  } else if (held !== undefined) prose('Next victim: unknown (no member\'s oom_score was read).\n');
  for (const problem of row.unreadable) prose(`Not read: ${escapeText(problem)}.\n`);
  return out.join('');
}
