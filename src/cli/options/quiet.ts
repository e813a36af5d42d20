/**
 * -q, --quiet of the commands that write a file: no "footprint: wrote PATH"
 * line, which a person at a terminal otherwise gets on stderr (output.ts, noteWritten).
 */
export const QUIET_OPTION = { alias: 'q', type: 'boolean', default: false, describe: 'Do not say on stderr which file was written' } as const;
