import type { ReportArgs } from './reportArgs.js';

/**
 * What a bare `footprint` means. The yargs options take their defaults from
 * here too, so a run with no arguments and one that spells them out agree.
 */
export const REPORT_DEFAULTS = {
  group: 'program',
  estimate: false,
  sort: 'writable',
  reverse: false,
  json: false,
  csv: false,
  units: 'auto',
  wide: false,
} as const satisfies ReportArgs;
