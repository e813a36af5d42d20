import type { OptionTable } from '../commandArgs.js';

/**
 * The read budget's knobs (docs/budget.md), for the commands that scan again and
 * again: serve, and watch of the whole machine.
 */
export const BUDGET_OPTIONS = {
  'max-read-ms': {
    type: 'string',
    describe: 'A process whose exact read (smaps_rollup, a walk of its page tables under its mmap lock) is expected to stall it longer than MS (default 10) is read once per --refresh, or when it moves; carried forward from /proc/PID/status between',
  },
  refresh: { type: 'string', describe: 'How old the exact figures of a process over --max-read-ms may grow (default 5m)' },
  exact: { type: 'boolean', default: false, describe: 'Read every process exactly at every scan (no read budget): exact figures, and the stalls of big processes' },
} as const satisfies OptionTable;
