import type { ProgramGroup } from '../model/report.js';
import { escapeText } from './escapeText.js';

const COLUMNS = ['name', 'count', 'pids', 'writable', 'privateClean', 'private', 'shared', 'ram', 'pss', 'rss', 'swap', 'estimated'] as const;

/** RFC 4180 quoting; control characters are escaped first so no row can be split or forged. */
export function csvField(value: string): string {
  const safe = escapeText(value);
  return /[",]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** One header line and one line per group; byte counts as integers. */
export function renderReportCsv(groups: readonly ProgramGroup[]): string {
  const lines = [COLUMNS.join(',')];
  for (const group of groups) {
    lines.push(COLUMNS.map((column) => {
      const value = group[column];
      if (column === 'name') return csvField(group.name);
      if (Array.isArray(value)) return value.join(' ');
      return String(value);
    }).join(','));
  }
  return `${lines.join('\n')}\n`;
}
