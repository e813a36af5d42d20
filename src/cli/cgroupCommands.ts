import type { Argv } from 'yargs';
import type { CommandRunner } from './commandRunner.js';
import { CGROUP_SORT_CHOICES } from '../cgroups/orderRows.js';

/** cgroups: each memory cgroup's charge, limits and processes. Its body loads only when run. */
export function registerCgroupCommands(parser: Argv, run: CommandRunner): void {
  parser.command(
    'cgroups [path]',
    "Each memory cgroup's charge, limit, headroom, peak and OOM kills beside its processes; one cgroup part by part",
    (y) =>
      y
        .positional('path', { type: 'string', describe: 'One cgroup (/a/b, or its directory under the mount point): its charge part by part' })
        .option('flat', { type: 'boolean', default: false, describe: 'One ranked list instead of the indented tree' })
        .option('depth', { type: 'string', describe: 'Cgroups at most N levels below the top' })
        .option('sort', { choices: CGROUP_SORT_CHOICES, default: 'charge' as const, describe: 'Rank by (headroom: least first)' })
        .option('top', { alias: 'n', type: 'string', describe: 'The first N (tree: N children of each cgroup)' })
        .option('json', { type: 'boolean', default: false, describe: 'Print JSON (footprint.cgroups/1)' })
        .option('csv', { type: 'boolean', default: false, describe: 'Print CSV' })
        .option('cgroup-root', { type: 'string', describe: 'Read a captured cgroup tree instead of the mounted one' })
        .option('proc-root', { type: 'string', describe: 'Read the processes from a captured /proc tree' })
        .example('$0 cgroups', 'Every memory cgroup, as a tree, ranked by charge')
        .example('$0 cgroups --flat --sort headroom -n 10', 'The ten cgroups closest to their limit')
        .example('$0 cgroups /system.slice/nginx.service', "One cgroup's charge, part by part, with its processes' side"),
    run(async (args) => {
      const { runCgroups } = await import('./commands/cgroups.js');
      return runCgroups(args);
    }),
  );
}
