import type { Argv } from 'yargs';
import type { CommandRunner } from './commandRunner.js';
import { FLEET_GROUP_CHOICES } from './fleetOptions.js';

/** export and serve: footprint's figures for Prometheus. Their bodies load only when run. */
export function registerFleetCommands(parser: Argv, run: CommandRunner): void {
  parser.command(
    'export',
    "Print one scan as Prometheus metrics, or write them for node_exporter's textfile collector",
    (y) =>
      y
        .option('textfile', { type: 'string', describe: 'Write to FILE atomically (for --collector.textfile.directory), not stdout' })
        .option('group', { choices: FLEET_GROUP_CHOICES, default: 'program' as const, describe: 'What the series are per (one label of that name)' })
        .option('top', { type: 'string', describe: 'Keep the N largest groups (default 50); the rest are summed into one "(other)" series' })
        .option('rollup-max-rss', { type: 'string', describe: 'Processes with more RSS than SIZE (e.g. 8GiB) are measured from /proc/PID/status, not smaps_rollup, whose read stalls them while the kernel walks their page tables' })
        .option('proc-root', { type: 'string', describe: 'Read a captured /proc tree instead of /proc' })
        .option('cgroup-depth', { type: 'string', describe: 'Series for the memory cgroups down to N levels below the top (default 2; 0: the top alone)' })
        .option('cgroup-root', { type: 'string', describe: 'Read a captured cgroup tree instead of the mounted memory hierarchy' })
        .example('$0 export --textfile /var/lib/prometheus/node-exporter/footprint.prom', 'For node_exporter, from cron'),
    run(async (args) => {
      const { runExport } = await import('./commands/export.js');
      return runExport(args);
    }),
  ).command(
    'serve',
    'Serve Prometheus metrics over HTTP (GET /metrics), one scan per scrape; loopback only unless told otherwise',
    (y) =>
      y
        .option('listen', { type: 'string', default: '127.0.0.1:19464', describe: 'HOST:PORT to listen on (19464: outside the exporters\' 9100-9999)' })
        .option('group', { choices: [...FLEET_GROUP_CHOICES, 'cmdline' as const, 'pid' as const], default: 'program' as const, describe: 'What the series are per (cmdline and pid need --expose-command-lines)' })
        .option('top', { type: 'string', describe: 'Keep the N largest groups (default 50); the rest are summed into one "(other)" series' })
        .option('rollup-max-rss', { type: 'string', describe: 'Processes with more RSS than SIZE (e.g. 8GiB) are measured from /proc/PID/status, not smaps_rollup, whose read stalls them while the kernel walks their page tables' })
        .option('min-interval', { type: 'string', default: '2s', describe: 'Scrapes closer together share one scan (0: every scrape scans)' })
        .option('expose-command-lines', { type: 'boolean', default: false, describe: 'Allow --group cmdline or pid, whose labels carry command lines (and their secrets)' })
        .option('proc-root', { type: 'string', describe: 'Read a captured /proc tree instead of /proc' })
        .option('web-config', { type: 'string', describe: "TLS and basic auth from FILE, the Prometheus exporters' web configuration format (tls_server_config, basic_auth_users)" })
        .option('cgroup-depth', { type: 'string', describe: 'Series for the memory cgroups down to N levels below the top (default 2; 0: the top alone)' })
        .option('dir', { type: 'string', describe: 'Where the report before an OOM kill is saved (default: $FOOTPRINT_DIR, else ${XDG_STATE_HOME:-~/.local/state}/footprint)' })
        .example('$0 serve', 'Metrics on http://127.0.0.1:19464/metrics')
        .example('$0 serve --listen 0.0.0.0:19464 --web-config /etc/footprint/web.yml', 'For a Prometheus elsewhere, over TLS with basic auth'),
    run(async (args) => {
      const { runServe } = await import('./commands/serve.js');
      return runServe(args);
    }),
  );
}
