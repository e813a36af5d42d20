/**
 * The name and version of every document footprint writes, in one list: the
 * JSON a user's scripts read (--json of each command, saved reports, run
 * documents) and the history index's own segments. A change of shape that
 * breaks a reader is a new version here, and the README's schema section with it.
 */
export const REPORT_SCHEMA = 'footprint.report/1';
export const RUN_SCHEMA = 'footprint.run/1';
export const DIFF_SCHEMA = 'footprint.diff/1';
export const RUN_DIFF_SCHEMA = 'footprint.rundiff/1';
export const HISTORY_SCHEMA = 'footprint.history/1';
export const WATCH_SCHEMA = 'footprint.watch/1';
export const SHOW_SCHEMA = 'footprint.show/1';
export const MAPPINGS_SCHEMA = 'footprint.mappings/1';
export const CGROUPS_SCHEMA = 'footprint.cgroups/1';
/** The history index's segments (a cache, rebuilt when this changes). */
export const INDEX_FORMAT = 'footprint.index/3';
/** `footprint files --json` (src/holders/filesJson.ts). */
export const FILES_SCHEMA = 'footprint.files/1';
/** `footprint shmem --json` (src/holders/shmemJson.ts). */
export const SHMEM_SCHEMA = 'footprint.shmem/1';
