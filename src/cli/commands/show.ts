import { MAPPINGS_SCHEMA, SHOW_SCHEMA } from '../../model/schemas.js';
import type { ShowArgs } from '../options/show.js';
import { openProcRoot } from '../../collect/machineContext.js';
import { readProcessMappings } from '../../scan/readProcessMappings.js';
import { BreakdownSum, UsageSum } from '../../reduce/processBreakdown.js';
import { programName } from '../../reduce/programName.js';
import { renderBreakdown, renderMappingUsage, renderProcessTitle } from '../../render/breakdownTable.js';
import { toSafeJson } from '../../render/escapeText.js';
import { isFancyOutput, terminalWidth, writeStdout } from '../output.js';
import { EXIT_OK, RuntimeFailure, UsageError } from '../../errors.js';
import { describeUnreadable } from '../../scan/unreadable.js';

export type { ShowArgs };


export async function runShow(args: ShowArgs): Promise<number> {
  const text = String(args.pid);
  if (!/^\d+$/.test(text) || Number(text) <= 0) throw new UsageError(`show: "${text}" is not a PID`);
  const pid = Number(text);
  const reader = openProcRoot(args.procRoot);
  // Summed as smaps is read: a process may have 65,530 mappings, none of them kept.
  const sum = args.mappings ? new UsageSum() : new BreakdownSum();
  const read = readProcessMappings(reader, pid, (mapping) => sum.add(mapping));
  if (!read.ok) throw new RuntimeFailure(`cannot show PID ${pid}: ${describeUnreadable(read.reason, { captured: !reader.bindsProcesses })}`);
  const name = programName(read.identity);
  // On a terminal nothing wraps: paths and names shortened in the middle; --wide and a pipe get them whole.
  const options = { units: args.units, fancy: isFancyOutput(), width: args.wide || args.json ? undefined : terminalWidth() };
  if (sum instanceof UsageSum) {
    const usage = sum.result();
    if (args.json) writeStdout(`${toSafeJson({ schema: MAPPINGS_SCHEMA, pid, name, mappings: usage }, 2)}\n`);
    else writeStdout(renderProcessTitle(pid, name, options.width) + renderMappingUsage(usage, options));
    return EXIT_OK;
  }
  const breakdown = sum.result();
  if (args.json) writeStdout(`${toSafeJson({ schema: SHOW_SCHEMA, pid, name, ...breakdown }, 2)}\n`);
  else writeStdout(renderProcessTitle(pid, name, options.width) + renderBreakdown(breakdown, options));
  return EXIT_OK;
}
