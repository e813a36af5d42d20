import type { Argv } from 'yargs';
import type { ArgsOf, OptionTable, PositionalTable } from './commandArgs.js';
import type { CommandName } from './commandNames.js';
import type { CommandRunner } from './commandRunner.js';
import { parsePositiveInteger } from './values/report.js';
import { REPORT_OPTIONS } from './options/report.js';
import { SHOW_OPTIONS, SHOW_POSITIONALS } from './options/show.js';
import { CAPTURE_OPTIONS, CAPTURE_POSITIONALS } from './options/capture.js';
import { DIFF_OPTIONS, DIFF_POSITIONALS, HISTORY_OPTIONS, SAVE_OPTIONS } from './options/store.js';
import { RUN_OPTIONS, RUN_POSITIONALS } from './options/run.js';
import { WATCH_OPTIONS, WATCH_POSITIONALS } from './options/watch.js';
import { EXPORT_OPTIONS, SERVE_OPTIONS } from './options/fleet.js';
import { CGROUPS_OPTIONS, CGROUPS_POSITIONALS } from './options/cgroups.js';
import { FILES_OPTIONS } from './options/files.js';
import { SHMEM_OPTIONS } from './options/shmem.js';

/** What yargs hands every command besides its options: the words it did not read (run's CMD, after `--`). */
type Rest = { _: (string | number)[] };

interface CommandRow<O extends OptionTable, P extends PositionalTable> {
  /** The name and its positionals, as help shows them (`show <pid>`); `$0` is the report, the default. */
  synopsis: string;
  description: string;
  positionals?: P;
  options: O;
  /** Pairs of options that exclude each other. */
  conflicts?: readonly (readonly [keyof O & string, keyof O & string])[];
  examples: readonly (readonly [string, string])[];
  /** The command's body, imported only when it runs. */
  load: () => Promise<(args: ArgsOf<O, P> & Rest) => Promise<number>>;
}

/** One command as the registration loop sees it: its row's words, and a way to hand it to yargs. */
export interface Command {
  synopsis: string;
  register(parser: Argv, run: CommandRunner): void;
}

/**
 * A row of the table, typed: the body's arguments are what the options and
 * positionals say. Registration keeps yargs' order (positionals, options,
 * conflicts, examples), which is the order help prints.
 */
function command<O extends OptionTable, P extends PositionalTable = Record<never, never>>(row: CommandRow<O, P>): Command {
  return {
    synopsis: row.synopsis,
    register(parser, run) {
      parser.command(
        row.synopsis,
        row.description,
        (y) => {
          for (const [name, positional] of Object.entries(row.positionals ?? {})) y.positional(name, positional);
          y.options(row.options);
          for (const [one, other] of row.conflicts ?? []) y.conflicts(one, other);
          for (const [example, meaning] of row.examples) y.example(example, meaning);
          return y;
        },
        // yargs reads the same tables, so its arguments are ArgsOf<O, P>; TypeScript cannot follow that through the generic.
        run(async (args) => (await row.load())(args as ArgsOf<O, P> & Rest)),
      );
    },
  };
}

/**
 * Every command, in the order help lists them: the report (the default), then
 * the others by name (commandNames.ts, which main() reads at start-up). yargs'
 * registration, the usage messages' list of commands and the argument types of
 * every body come from here; the report's and run's fast readers read the same
 * option tables (reportArguments.ts, runArguments.ts).
 */
export const COMMAND_TABLE = {
  $0: command({
    synopsis: '$0',
    description: 'Rank every readable process by writable memory',
    options: REPORT_OPTIONS,
    examples: [
      ['$0', 'Rank programs by writable memory'],
      ['$0 --sort ram -n 10', 'The ten programs using the most RAM'],
      ['$0 -u www-data --group cmdline', "One line per command line of www-data's processes"],
      ['$0 --estimate', "Also estimate other users' processes from their status"],
      ['$0 --json > report.json', 'Machine-readable report (footprint.report/1)'],
    ],
    load: async () => {
      const { runReport } = await import('./commands/report.js');
      return (args) => runReport({ ...args, top: parsePositiveInteger('--top', args.top) });
    },
  }),
  show: command({
    synopsis: 'show <pid>',
    description: 'Show where inside one process the memory sits',
    positionals: SHOW_POSITIONALS,
    options: SHOW_OPTIONS,
    examples: [
      ['$0 show 1234', 'Code, data and read-only memory of process 1234, mapped vs anonymous'],
      ['$0 show 1234 --mappings', 'Which library or region costs what'],
    ],
    load: async () => (await import('./commands/show.js')).runShow,
  }),
  capture: command({
    synopsis: 'capture <dir>',
    description: 'Save the /proc files footprint reads, for offline reports',
    positionals: CAPTURE_POSITIONALS,
    options: CAPTURE_OPTIONS,
    examples: [['$0 capture /tmp/snap && $0 --proc-root /tmp/snap/proc', 'The same report, offline']],
    load: async () => (await import('./commands/capture.js')).runCapture,
  }),
  save: command({
    synopsis: 'save',
    description: 'Save a report (gzip JSON, footprint.report/1) into the report directory, for cron',
    options: SAVE_OPTIONS,
    examples: [
      ['$0 save --keep 90d', "Save today's report, drop those older than 90 days"],
      ['$0 save --dir /var/lib/footprint -v', 'Save into a chosen directory and print the file name'],
    ],
    load: async () => (await import('./commands/save.js')).runSave,
  }),
  diff: command({
    synopsis: 'diff <old> <new>',
    description: 'Show what grew between two reports (files, latest, previous or YYYY-MM-DD)',
    positionals: DIFF_POSITIONALS,
    options: DIFF_OPTIONS,
    examples: [
      ['$0 diff previous latest', 'What grew since the report before the last one'],
      ['$0 diff 2026-11-24 latest --fail-over 100MiB', 'Exit 3 if something grew by more than 100 MiB'],
    ],
    load: async () => (await import('./commands/diff.js')).runDiff,
  }),
  history: command({
    synopsis: 'history',
    description: 'Show how the top programs moved over the saved reports: table, terminal chart or --html page',
    options: HISTORY_OPTIONS,
    conflicts: [['json', 'html']],
    examples: [
      ['$0 history --since 8w --metric ram', 'RAM used of the top five programs over eight weeks'],
      ['$0 history --program postgres --html pg.html', "A page with postgres's writable memory"],
    ],
    load: async () => {
      const { runHistory } = await import('./commands/history.js');
      return (args) => runHistory({ ...args, top: parsePositiveInteger('--top', args.top) });
    },
  }),
  run: command({
    synopsis: 'run [command..]',
    description: "Run a command and follow its whole tree's memory until it ends; a summary on stderr, like GNU time",
    positionals: RUN_POSITIONALS,
    options: RUN_OPTIONS,
    examples: [
      ['$0 run -- python3 app.py', 'Peak and end writable memory, page faults and times of app.py and its children'],
      ['$0 run --json before.json -- ./server --selftest', 'Keep the run as JSON, to diff against a later one'],
    ],
    load: async () => (await import('./commands/run.js')).runRun,
  }),
  watch: command({
    synopsis: 'watch [pid]',
    description: 'Follow the writable memory of a process or program over time, with its trend; alone, the report redrawn in place',
    positionals: WATCH_POSITIONALS,
    options: WATCH_OPTIONS,
    examples: [
      ['$0 watch 1234 --duration 1h --fail-on-leak', 'Exit 3 if PID 1234 leaks over an hour'],
      ['$0 watch --program postgres', "postgres's writable memory, a line every 2 s"],
      ['$0 watch', 'The report, redrawn every 2 s'],
    ],
    load: async () => (await import('./commands/watch.js')).runWatch,
  }),
  export: command({
    synopsis: 'export',
    description: "Print one scan as Prometheus metrics, or write them for node_exporter's textfile collector",
    options: EXPORT_OPTIONS,
    examples: [['$0 export --textfile /var/lib/prometheus/node-exporter/footprint.prom', 'For node_exporter, from cron']],
    load: async () => (await import('./commands/export.js')).runExport,
  }),
  serve: command({
    synopsis: 'serve',
    description: 'Serve Prometheus metrics over HTTP (GET /metrics), one scan per scrape; loopback only unless told otherwise',
    options: SERVE_OPTIONS,
    examples: [
      ['$0 serve', 'Metrics on http://127.0.0.1:19464/metrics'],
      ['$0 serve --listen 0.0.0.0:19464 --web-config /etc/footprint/web.yml', 'For a Prometheus elsewhere, over TLS with basic auth'],
    ],
    load: async () => (await import('./commands/serve.js')).runServe,
  }),
  cgroups: command({
    synopsis: 'cgroups [path]',
    description: "Each memory cgroup's charge, limit, headroom, peak and OOM kills beside its processes; one cgroup part by part",
    positionals: CGROUPS_POSITIONALS,
    options: CGROUPS_OPTIONS,
    examples: [
      ['$0 cgroups', 'Every memory cgroup, as a tree, ranked by charge'],
      ['$0 cgroups --flat --sort headroom -n 10', 'The ten cgroups closest to their limit'],
      ['$0 cgroups /system.slice/nginx.service', "One cgroup's charge, part by part, with its processes' side"],
    ],
    load: async () => (await import('./commands/cgroups.js')).runCgroups,
  }),
  files: command({
    synopsis: 'files',
    description: 'Every mapped file and kind of anonymous memory across the processes read, from their full smaps, ranked by writable memory',
    options: FILES_OPTIONS,
    examples: [
      ['$0 files -n 20', 'The twenty files and libraries costing the most writable memory'],
      ['$0 files --match libc --by program --mappings', "Which programs pay for libc, its code, data and relro apart"],
      ['$0 files --json > files.json', 'Machine-readable (footprint.files/1)'],
    ],
    load: async () => (await import('./commands/files.js')).runFiles,
  }),
  shmem: command({
    synopsis: 'shmem',
    description: "What makes up the kernel's shared memory (meminfo Shmem): tmpfs files, unlinked ones, memfds, SysV segments, and who holds each; files held by none",
    options: SHMEM_OPTIONS,
    examples: [
      ['$0 shmem', 'Every object of shared memory, largest first, with its holders and the orphans'],
      ['$0 shmem --match /dev/shm -n 10', 'The ten largest in /dev/shm'],
      ['$0 shmem --by-cgroup', "Each memory cgroup's shmem figure beside the objects its processes hold"],
    ],
    load: async () => (await import('./commands/shmem.js')).runShmem,
  }),
} as const satisfies Record<'$0' | CommandName, Command>;
