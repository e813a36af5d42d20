import { FILES_SCHEMA } from '../model/schemas.js';
import { toSafeJson } from '../render/escapeText.js';
import type { ProcessCoverage } from './coverage.js';
import type { FileGrouping, FileSortKey } from './fileUsage.js';
import type { FilesView } from './selectFiles.js';

/**
 * `footprint files --json`: one document, `footprint.files/1` (docs/holders.md).
 * Byte counts are integers; paths are the kernel's text (JSON escapes what it must).
 */
export function renderFilesJson(view: FilesView, grouping: FileGrouping, sortBy: FileSortKey, coverage: ProcessCoverage): string {
  return `${toSafeJson({
    schema: FILES_SCHEMA,
    groupBy: grouping.byProgram ? 'program' : 'file',
    byPermission: grouping.byPermission,
    sort: sortBy,
    files: view.rows,
    rest: view.rest,
    total: view.total,
    processes: { read: coverage.read, skipped: Object.fromEntries(coverage.skipped.map((part) => [part.reason, part.count])) },
  }, 2)}\n`;
}
