import type { Argv } from 'yargs';
import type { CommandRunner } from './commandRunner.js';
import { parsePositiveInteger, withScanOptions } from './reportOptions.js';
import { UNITS as UNIT_CHOICES } from '../model/units.js';
import { HISTORY_METRICS } from '../reduce/historyMetrics.js';

const DIR_OPTION = {
  type: 'string',
  describe: 'Report directory (default: $FOOTPRINT_DIR, else ${XDG_STATE_HOME:-~/.local/state}/footprint)',
} as const;

/** save, diff and history: the daily-report commands. Their bodies load only when run. */
export function registerReportStoreCommands(parser: Argv, run: CommandRunner): void {
  parser
    .command(
      'save',
      'Save a report (gzip JSON, footprint.report/1) into the report directory, for cron',
      (y) =>
        withScanOptions(y)
          .option('dir', DIR_OPTION)
          .option('keep', { type: 'string', describe: 'Then delete saved reports older than this (12h, 30d, 8w)' })
          .option('verbose', { alias: 'v', type: 'boolean', default: false, describe: 'Print the path written' })
          .example('$0 save --keep 90d', "Save today's report, drop those older than 90 days")
          .example('$0 save --dir /var/lib/footprint -v', 'Save into a chosen directory and print the file name'),
      run(async (args) => {
        const { runSave } = await import('./commands/save.js');
        return runSave(args);
      }),
    )
    .command(
      'diff <old> <new>',
      'Show what grew between two reports (files, latest, previous or YYYY-MM-DD)',
      (y) =>
        y
          // demandOption tells the types what <old> <new> in the command already make yargs demand (positional() drops the key).
          .positional('old', { type: 'string', demandOption: true, describe: 'Older report: a file, latest, previous or a UTC day' })
          .positional('new', { type: 'string', demandOption: true, describe: 'Newer report: a file, latest, previous or a UTC day' })
          .option('dir', DIR_OPTION)
          .option('json', { type: 'boolean', default: false, describe: 'Print JSON (footprint.diff/1)' })
          .option('all', { type: 'boolean', default: false, describe: 'Also list groups that did not change' })
          .option('fail-over', { type: 'string', describe: "Exit 3 if any program's writable memory grew by more than SIZE (e.g. 100MiB)" })
          .option('units', { choices: UNIT_CHOICES, default: 'auto' as const, describe: 'Units for text output' })
          .example('$0 diff previous latest', 'What grew since the report before the last one')
          .example('$0 diff 2026-11-24 latest --fail-over 100MiB', 'Exit 3 if something grew by more than 100 MiB'),
      run(async (args) => {
        const { runDiff } = await import('./commands/diff.js');
        return runDiff(args);
      }),
    )
    .command(
      'history',
      'Show how the top programs moved over the saved reports: table, terminal chart or --html page',
      (y) =>
        y
          .option('dir', DIR_OPTION)
          .option('since', { type: 'string', default: '30d', describe: 'How far back (12h, 30d, 8w, 365d)' })
          .option('program', { type: 'string', array: true, describe: 'Only this group (repeatable)' })
          .option('top', { alias: 'n', type: 'string', default: '5', describe: 'How many groups, by their peak' })
          .option('metric', { choices: HISTORY_METRICS, default: 'writable' as const, describe: 'Which figure to follow' })
          .option('html', { type: 'string', describe: 'Write a self-contained HTML page with the chart to FILE' })
          .option('json', { type: 'boolean', describe: 'Print the series as JSON (footprint.history/1)' })
          .option('units', { choices: UNIT_CHOICES, default: 'auto' as const, describe: 'Units for the table' })
          .conflicts('json', 'html')
          .example('$0 history --since 8w --metric ram', 'RAM used of the top five programs over eight weeks')
          .example('$0 history --program postgres --html pg.html', "A page with postgres's writable memory"),
      run(async (args) => {
        const { runHistory } = await import('./commands/history.js');
        return runHistory({ ...args, top: parsePositiveInteger('--top', args.top) });
      }),
    );
}
