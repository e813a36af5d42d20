/**
 * What a bare `footprint` means. The report's options (options/report.ts)
 * take their defaults from here, so a run with no arguments and one that
 * spells them out agree; main() hands it to runReport, whose type checks it
 * (a `satisfies ReportArgs` here would be circular: that type is derived from the options).
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
  system: false,
} as const;
