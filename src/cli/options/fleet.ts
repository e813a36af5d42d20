import type { ArgsOf, OptionTable } from '../commandArgs.js';
import { FLEET_GROUPINGS } from '../../model/report.js';
import { QUIET_OPTION } from './quiet.js';
import { MATCH_OPTION } from './match.js';
import { BUDGET_OPTIONS } from './budget.js';

/** export and serve: footprint's figures for Prometheus. */

const TOP_OPTION = { type: 'string', describe: 'Keep the N largest groups (default 50); the rest are summed into one "(other)" series' } as const;
const ROLLUP_MAX_RSS_OPTION = {
  type: 'string',
  describe: 'Processes with more RSS than SIZE (e.g. 8GiB) are measured from /proc/PID/status, not smaps_rollup, whose read stalls them while the kernel walks their page tables',
} as const;
const CGROUP_DEPTH_OPTION = { type: 'string', describe: 'Series for the memory cgroups down to N levels below the top (default 2; 0: the top alone)' } as const;
const PROC_ROOT_OPTION = { type: 'string', describe: 'Read a captured /proc tree instead of /proc' } as const;
const SHMEM_OPTION = { type: 'boolean', default: true, describe: 'Shared memory by kind and the orphans (footprint_shmem_*): every process\'s maps and fd/ read; --no-shmem: not' } as const;

export const EXPORT_OPTIONS = {
  textfile: { type: 'string', describe: 'Write to FILE atomically (for --collector.textfile.directory), not stdout' },
  group: { choices: FLEET_GROUPINGS, default: 'program' as const, describe: 'What the series are per (one label of that name)' },
  top: TOP_OPTION,
  match: MATCH_OPTION,
  'rollup-max-rss': ROLLUP_MAX_RSS_OPTION,
  'proc-root': PROC_ROOT_OPTION,
  'cgroup-depth': CGROUP_DEPTH_OPTION,
  'cgroup-root': { type: 'string', describe: 'Read a captured cgroup tree instead of the mounted memory hierarchy' },
  quiet: QUIET_OPTION,
  'budget-state': {
    type: 'string',
    describe: 'Keep the read budget\'s state in FILE from run to run (written atomically): big processes are read exactly once per --refresh, carried forward between; without it every process is read exactly',
  },
  'max-read-ms': BUDGET_OPTIONS['max-read-ms'],
  refresh: BUDGET_OPTIONS.refresh,
  shmem: SHMEM_OPTION,
} as const satisfies OptionTable;

export type ExportArgs = ArgsOf<typeof EXPORT_OPTIONS>;

export const SERVE_OPTIONS = {
  // 19464: outside Prometheus's exporter port range (9100-9999, all allocated), so no well-known exporter's.
  listen: { type: 'string', default: '127.0.0.1:19464', describe: 'HOST:PORT to listen on (19464: outside the exporters\' 9100-9999)' },
  group: { choices: [...FLEET_GROUPINGS, 'cmdline' as const, 'pid' as const], default: 'program' as const, describe: 'What the series are per (cmdline and pid need --expose-command-lines)' },
  top: TOP_OPTION,
  match: MATCH_OPTION,
  'rollup-max-rss': ROLLUP_MAX_RSS_OPTION,
  'min-interval': { type: 'string', default: '2s', describe: 'Scrapes closer together share one scan (0: every scrape scans)' },
  'expose-command-lines': { type: 'boolean', default: false, describe: 'Allow --group cmdline or pid, whose labels carry command lines (and their secrets)' },
  'proc-root': PROC_ROOT_OPTION,
  'web-config': { type: 'string', describe: "TLS and basic auth from FILE, the Prometheus exporters' web configuration format (tls_server_config, basic_auth_users)" },
  'cgroup-depth': CGROUP_DEPTH_OPTION,
  dir: { type: 'string', describe: 'Where the report before an OOM kill is saved (default: $FOOTPRINT_DIR, else ${XDG_STATE_HOME:-~/.local/state}/footprint)' },
  ...BUDGET_OPTIONS,
  shmem: { ...SHMEM_OPTION, describe: `${SHMEM_OPTION.describe} (taken again once a minute old)` },
} as const satisfies OptionTable;

export type ServeArgs = ArgsOf<typeof SERVE_OPTIONS>;
