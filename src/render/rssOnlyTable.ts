import type { ProgramGroup } from '../model/report.js';
import { escapeText } from './escapeText.js';
import { renderTextTable } from './textTable.js';
import { formatBytes, type Unit } from './units.js';

export const RSS_ONLY_NOTE = 'RSS only: this system has no /proc/PID/smaps, so shared pages count in every process that maps them; writable memory is unknown.';

export function renderRssOnlyTable(groups: ProgramGroup[], units: Unit): string {
  const rows = [['RSS', 'Program'], ...groups.map((g) => [formatBytes(g.rss, units), `${escapeText(g.name)} (${g.count})`])];
  return `${renderTextTable(rows, { fancy: false, align: ['right', 'left'], rulesAfter: [] })}${RSS_ONLY_NOTE}\n`;
}
