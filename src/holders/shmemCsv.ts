import { csvField } from '../render/reportCsv.js';
import type { ShmemRow } from './shmemAttribution.js';

const COLUMNS = ['kind', 'name', 'mount', 'bytes', 'bytes_source', 'size', 'pids', 'programs', 'orphan', 'holders_unknown', 'uid', 'shmid', 'attached'] as const;

/** `footprint shmem --csv`: a header and one line per row; bytes as integers; PIDs and programs space-separated; blank where unknown. */
export function renderShmemCsv(rows: readonly ShmemRow[]): string {
  const value = (figure: number | undefined): string => (figure === undefined ? '' : String(figure));
  const lines = [COLUMNS.join(',')];
  for (const row of rows) {
    lines.push([
      row.kind, csvField(row.name), csvField(row.mount ?? ''), String(row.bytes), row.bytesSource, value(row.size),
      row.pids.join(' '), csvField(row.holders.map((holder) => holder.program).join(' ')), String(row.orphan), String(row.holdersUnknown), value(row.uid),
      value(row.sysv?.shmid), value(row.sysv?.attached),
    ].join(','));
  }
  return `${lines.join('\n')}\n`;
}
