import type { Argv } from 'yargs';
import type { CommandRunner } from './parseArguments.js';
import { FLEET_GROUP_CHOICES } from './fleetOptions.js';

/** export (and serve): footprint's figures for Prometheus. Their bodies load only when run. */
export function registerFleetCommands(parser: Argv, run: CommandRunner): void {
  parser.command(
    'export',
    "Print one scan as Prometheus metrics, or write them for node_exporter's textfile collector",
    (y) =>
      y
        .option('textfile', { type: 'string', describe: 'Write to FILE atomically (for --collector.textfile.directory), not stdout' })
        .option('group', { choices: FLEET_GROUP_CHOICES, default: 'program' as const, describe: 'What the series are per (one label of that name)' })
        .option('top', { type: 'string', describe: 'Keep the N largest groups (default 50); the rest are summed into one "(other)" series' })
        .option('proc-root', { type: 'string', describe: 'Read a captured /proc tree instead of /proc' })
        .example('$0 export --textfile /var/lib/prometheus/node-exporter/footprint.prom', 'For node_exporter, from cron'),
    run(async (args: Record<string, unknown>) => {
      const { runExport } = await import('./commands/export.js');
      return runExport(args as never);
    }),
  );
}
