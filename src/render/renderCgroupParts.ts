import { victimText } from './renderCgroupTable.js';
import { escapeText } from './escapeText.js';
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
 * working set as cAdvisor and the kubelet compute it.
 */
export function renderCgroupParts(row: CgroupRow, fancy: boolean): string {
  const out: string[] = [`cgroup ${escapeText(row.path)} (cgroup v${row.version})\n`];
  const charge = row.charge;
  if (charge === undefined) {
    out.push(`charge unknown: ${row.unreadable.length > 0 ? row.unreadable.join('; ') : 'no memory.stat or counter here'}\n`);
    return out.join('');
  }
  const held = row.held;
  const table = [['PART', 'SIZE', 'SHARE', 'FROM', 'PROCESSES HOLD']];
  let sum = 0;
  for (const part of charge.parts) {
    sum += part.bytes;
    let measured = '';
    if (held !== undefined && part.key === 'anon' && held.pssAnon !== undefined) measured = `${formatBytes(held.pssAnon)} Pss_Anon`;
    if (held !== undefined && part.key === 'shmem' && held.pssShmem !== undefined) measured = `${formatBytes(held.pssShmem)} Pss_Shmem`;
    table.push([shortPartLabel(part.label), formatBytes(part.bytes), percentOf(part.bytes, charge.charge), part.label.slice(part.label.lastIndexOf(' (') + 2, -1), measured]);
  }
  table.push(['charge', formatBytes(charge.charge), '', charge.source === 'memory.current' ? 'memory.current' : 'the parts above', '']);
  out.push(renderTextTable(table, { fancy, align: ['left', 'right', 'right', 'left', 'right'], rulesAfter: [charge.parts.length] }));
  const details = charge.parts.find((part) => part.dirty !== undefined);
  if (details !== undefined) out.push(`Of the page cache, ${formatBytes(details.dirty!)} is dirty and ${formatBytes(details.writeback ?? 0)} under writeback.\n`);
  if (sum !== charge.charge) out.push(`The parts add up to ${formatBytes(sum)}, ${percentOf(Math.abs(sum - charge.charge), charge.charge)} off the charge (memory.stat reaches its counters in per-CPU batches).\n`);
  for (const unknown of charge.unknown) out.push(`Unknown: ${unknown}.\n`);
  if (charge.counter !== undefined) {
    out.push(`The kernel's counter, usage_in_bytes, says ${formatBytes(charge.counter)}: fuzzy by design (each CPU charges pages ahead in batches), so the charge is the stats'.\n`);
  }
  if (held !== undefined) {
    out.push(`Processes: ${held.processes} in this cgroup and below, ${held.measured} measured: writable (Private_Dirty) ${formatBytes(held.writable)}, Pss ${formatBytes(held.pss)}`
      + (held.pssAnon !== undefined ? `, Pss_Anon ${formatBytes(held.pssAnon)}, Pss_Shmem ${formatBytes(held.pssShmem!)}` : '') + '.\n');
  } else out.push('Processes: unknown (a captured cgroup tree without --proc-root).\n');
  const usage = charge.counter ?? charge.charge;
  out.push(`Working set (cAdvisor's container_memory_working_set_bytes; the kubelet's memory.available and kubectl top): ${row.version === 2 ? 'memory.current' : 'usage_in_bytes'} ${formatBytes(usage)}`
    + ` - inactive file ${formatBytes(charge.inactiveFile)} = ${formatBytes(charge.workingSet)}; eviction and kubectl top see this, active page cache included.\n`);
  const { max, high } = row.limits;
  const limitLine = [`Limit: ${max === undefined ? 'unknown' : max === null ? 'none' : formatBytes(max)}`];
  if (high !== undefined) limitLine.push(`${row.version === 1 ? 'soft limit' : 'high'} ${high === null ? 'none' : formatBytes(high)}`);
  if (row.headroom !== undefined) limitLine.push(`headroom ${formatBytes(row.headroom)} (${row.headroomPercent!.toFixed(1)}%)`);
  if (row.peak !== undefined) limitLine.push(`peak ${formatBytes(row.peak)}`);
  if (row.oom?.oomKills !== undefined) limitLine.push(`OOM kills ${row.oom.oomKills}`);
  out.push(`${limitLine.join(', ')}.\n`);
  if (row.nextVictim !== undefined) {
    const victim = row.nextVictim;
    out.push(victim.pid === null
      ? `Next victim: none (every member scored is exempt: oom_score_adj -1000).\n`
      : `Next victim: ${victimText(row)}, the highest oom_score of ${victim.scored} member${victim.scored === 1 ? '' : 's'} scored.\n`);
  } else if (held !== undefined) out.push('Next victim: unknown (no member\'s oom_score was read).\n');
  for (const problem of row.unreadable) out.push(`Not read: ${escapeText(problem)}.\n`);
  return out.join('');
}
