import type { FilesArgs } from '../options/files.js';
import { collectFiles } from '../../collect/collectFiles.js';
import { openProcRoot, resolveUser } from '../../collect/machineContext.js';
import { readUserNames } from '../../kernel/userNames.js';
import type { FileGrouping } from '../../holders/fileUsage.js';
import { selectFileRows } from '../../holders/selectFiles.js';
import { renderFilesText } from '../../holders/filesText.js';
import { renderFilesCsv } from '../../holders/filesCsv.js';
import { renderFilesJson } from '../../holders/filesJson.js';
import { compileMatch, describeFilters, noMatchLine } from '../values/match.js';
import { parsePositiveInteger } from '../values/report.js';
import { isFancyOutput, terminalWidth, writeStderr, writeStdout } from '../output.js';
import { EXIT_FAILURE, EXIT_OK, UsageError } from '../../errors.js';

export type { FilesArgs };

/**
 * `footprint files`: every mapped file and every kind of anonymous memory,
 * summed over the processes footprint may read from their full smaps, ranked
 * by writable memory (docs/holders.md).
 */
export async function runFiles(args: FilesArgs): Promise<number> {
  if (args.json && args.csv) throw new UsageError('--json and --csv cannot be used together');
  const limit = parsePositiveInteger('--top', args.top);
  const pattern = await compileMatch(args.match);
  const reader = openProcRoot(args.procRoot);
  const uid = args.user === undefined ? undefined : resolveUser(String(args.user), readUserNames());
  const grouping: FileGrouping = { byProgram: args.by === 'program', byPermission: args.mappings };
  const { usage, coverage } = collectFiles(reader, {
    grouping, pids: args.pid, uid, selfPid: reader.bindsProcesses ? process.pid : undefined,
  });
  const filters = describeFilters({ pid: args.pid, user: args.user, match: args.match });
  if ((args.pid !== undefined || uid !== undefined) && coverage.read === 0) {
    const left = coverage.skipped.filter((part) => part.count > 0).map((part) => `${part.reason} ${part.count}`).join(', ');
    writeStderr(noMatchLine(filters, left === '' ? '' : ` that could be read (${left})`));
    return EXIT_FAILURE;
  }
  const view = selectFileRows(usage, { pattern, limit });
  if (pattern !== undefined && view.total.rows === 0) {
    writeStderr(noMatchLine(filters, '', 'row'));
    return EXIT_FAILURE;
  }
  if (args.json) writeStdout(renderFilesJson(view, grouping, 'writable', coverage));
  else if (args.csv) writeStdout(renderFilesCsv(view.rows));
  else writeStdout(renderFilesText(view, grouping, coverage, { units: args.units, fancy: isFancyOutput(), width: args.wide ? undefined : terminalWidth() }));
  return EXIT_OK;
}
