import { CGROUP_SORT_CHOICES } from '../../cgroups/core/orderRows.js';
import type { ArgsOf, OptionTable, PositionalTable } from '../commandArgs.js';

export const CGROUPS_POSITIONALS = {
  path: { type: 'string', describe: 'One cgroup (/a/b, or its directory under the mount point): its charge part by part' },
} as const satisfies PositionalTable;

export const CGROUPS_OPTIONS = {
  flat: { type: 'boolean', default: false, describe: 'One ranked list instead of the indented tree' },
  depth: { type: 'string', describe: 'Cgroups at most N levels below the top' },
  sort: { choices: CGROUP_SORT_CHOICES, default: 'charge' as const, describe: 'Rank by (headroom: least first)' },
  top: { alias: 'n', type: 'string', describe: 'The largest N by --sort (tree: with the cgroups above them); a terminal shows 20 without it' },
  all: { type: 'boolean', default: false, describe: 'Every cgroup on a terminal too (a pipe, --json and --csv get every one without -n)' },
  json: { type: 'boolean', default: false, describe: 'Print JSON (footprint.cgroups/1)' },
  csv: { type: 'boolean', default: false, describe: 'Print CSV' },
  wide: { type: 'boolean', default: false, describe: 'Every column and whole names on a terminal too (fitted to its width otherwise)' },
  'cgroup-root': { type: 'string', describe: 'Read a captured cgroup tree instead of the mounted one' },
  'proc-root': { type: 'string', describe: 'Read the processes from a captured /proc tree' },
} as const satisfies OptionTable;

export type CgroupsArgs = ArgsOf<typeof CGROUPS_OPTIONS, typeof CGROUPS_POSITIONALS>;
