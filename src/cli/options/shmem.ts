import type { ArgsOf, OptionTable } from '../commandArgs.js';

export const SHMEM_OPTIONS = {
  top: { alias: 'n', type: 'string', describe: 'The largest N objects (the totals stay the whole machine\'s)' },
  match: { type: 'string', describe: 'Only objects whose name or a holder\'s program matches REGEX (RE2 syntax; (?i) ignores case)' },
  'by-cgroup': { type: 'boolean', default: false, describe: 'Each memory cgroup\'s shmem (memory.stat) beside the objects its processes hold' },
  json: { type: 'boolean', default: false, describe: 'Print JSON (footprint.shmem/1)' },
  csv: { type: 'boolean', default: false, describe: 'Print CSV' },
  wide: { type: 'boolean', default: false, describe: 'Whole names on a terminal too (fitted to its width otherwise)' },
  'proc-root': { type: 'string', describe: 'Read a captured /proc tree (no tmpfs walk: the objects its processes map, SysV segments, Shmem)' },
} as const satisfies OptionTable;

export type ShmemArgs = ArgsOf<typeof SHMEM_OPTIONS>;
