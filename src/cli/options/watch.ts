import { GROUPINGS } from '../../model/report.js';
import { SORT_KEYS } from '../../model/sortKeys.js';
import { UNITS } from '../../model/units.js';
import type { ArgsOf, OptionTable, PositionalTable } from '../commandArgs.js';
import { MATCH_OPTION } from './match.js';
import { BUDGET_OPTIONS } from './budget.js';

export const WATCH_POSITIONALS = {
  pid: { type: 'string', describe: 'The process to watch' },
} as const satisfies PositionalTable;

export const WATCH_OPTIONS = {
  program: { type: 'string', describe: 'Watch a program, following restarts: its name as the report gives it, or without its script (python3), or its script alone (app.py)' },
  match: MATCH_OPTION,
  // Alone (the whole machine) only: no defaults here, so that one given with a PID or --program is told apart and refused.
  group: { choices: GROUPINGS, describe: 'Alone: what to group processes by (default program; the g key changes it on a terminal)' },
  sort: { choices: SORT_KEYS, describe: 'Alone: rank by this column (default writable; the s key changes it on a terminal)' },
  reverse: { type: 'boolean', describe: 'Alone: smallest first (the r key turns it on and off on a terminal)' },
  top: { alias: 'n', type: 'string', describe: 'Alone: show only the first N groups (a terminal shows as many as fit)' },
  wait: { type: 'boolean', default: false, describe: 'With --program or --match: wait for it to start, rather than exit 1 when none of it runs' },
  interval: { type: 'string', describe: 'One line every DURATION (default 2s)' },
  duration: { type: 'string', describe: 'Stop after DURATION (100ms, 2s, 5m, 1h)' },
  count: { type: 'string', describe: 'Stop after N samples' },
  json: { type: 'boolean', default: false, describe: 'One JSON object per line (footprint.watch/1); the summary comes last' },
  'fail-on-leak': { type: 'boolean', default: false, describe: 'Exit 3 when the trend is growing' },
  units: { choices: UNITS, default: 'auto' as const, describe: 'Units for text output' },
  dir: { type: 'string', describe: 'Alone (the whole machine): where the report before an OOM kill is saved (default: $FOOTPRINT_DIR, else ${XDG_STATE_HOME:-~/.local/state}/footprint)' },
  ...BUDGET_OPTIONS,
} as const satisfies OptionTable;

export type WatchArgs = ArgsOf<typeof WATCH_OPTIONS, typeof WATCH_POSITIONALS>;
