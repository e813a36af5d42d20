import { csvField } from '../render/reportCsv.js';
import type { FileRow } from './fileUsage.js';

const COLUMNS = ['path', 'kind', 'deleted', 'program', 'permissions', 'processes', 'mappings', 'writable', 'private', 'shared', 'pss', 'rss', 'swap'] as const;

/** `footprint files --csv`: a header and one line per row; bytes as integers; program and permissions blank where not grouped by them. */
export function renderFilesCsv(rows: readonly FileRow[]): string {
  const lines = [COLUMNS.join(',')];
  for (const row of rows) {
    lines.push([
      csvField(row.path), row.kind, String(row.deleted), csvField(row.program ?? ''), row.permissions ?? '',
      String(row.processes), String(row.mappings), String(row.writable), String(row.private), String(row.shared), String(row.pss), String(row.rss), String(row.swap),
    ].join(','));
  }
  return `${lines.join('\n')}\n`;
}
