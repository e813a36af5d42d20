import type { ShmemArgs } from '../options/shmem.js';
import { collectShmem } from '../../collect/collectShmem.js';
import { openProcRoot } from '../../collect/machineContext.js';
import { selectShmemRows } from '../../holders/selectShmem.js';
import { renderShmemJson } from '../../holders/shmemJson.js';
import { renderShmemCsv } from '../../holders/shmemCsv.js';
import { renderShmemText } from '../../holders/shmemText.js';
import { parsePositiveInteger } from '../values/report.js';
import { compileMatch } from '../values/match.js';
import { isFancyOutput, terminalWidth, writeStdout } from '../output.js';
import { renderShmemCgroupCsv, renderShmemCgroupText, shmemCgroupsJson } from '../../holders/shmemCgroupText.js';
import { collectShmemCgroups } from '../../cgroups/shmemOfCgroups.js';
import { EXIT_OK, RuntimeFailure, UsageError } from '../../errors.js';

export type { ShmemArgs };

/** `footprint shmem`: what makes up meminfo's Shmem, object by object, with who holds each (docs/holders.md). */
export async function runShmem(args: ShmemArgs): Promise<number> {
  if (args.json && args.csv) throw new UsageError('--json and --csv cannot be used together');
  const limit = parsePositiveInteger('--top', args.top);
  const pattern = await compileMatch(args.match);
  const reader = openProcRoot(args.procRoot);
  const attribution = collectShmem(reader);
  const view = selectShmemRows(attribution, { pattern, limit });
  const width = args.wide ? undefined : terminalWidth();
  if (args.byCgroup) {
    // Per cgroup, of the rows chosen (-n, --match), each cgroup's figure beside them.
    const cgroups = collectShmemCgroups(reader, { rows: view.rows, totals: view.totals });
    if (typeof cgroups === 'string') throw new RuntimeFailure(`shmem --by-cgroup: ${cgroups}`);
    if (args.json) writeStdout(renderShmemJson(view, shmemCgroupsJson(cgroups)));
    else if (args.csv) writeStdout(renderShmemCgroupCsv(cgroups));
    else writeStdout(renderShmemCgroupText(cgroups, { width, fancy: isFancyOutput(), units: 'auto' }));
    return EXIT_OK;
  }
  if (args.json) writeStdout(renderShmemJson(view));
  else if (args.csv) writeStdout(renderShmemCsv(view.rows));
  else writeStdout(renderShmemText(view, { width, fancy: isFancyOutput(), units: 'auto' }));
  return EXIT_OK;
}
