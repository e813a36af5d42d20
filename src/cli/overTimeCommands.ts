import type { Argv } from 'yargs';
import type { CommandRunner } from './commandRunner.js';
import { UNIT_CHOICES } from './choices.js';
import { RUN_OPTIONS } from './overTimeOptions.js';

/** run and watch: memory over time. Their bodies load only when run. */
export function registerOverTimeCommands(parser: Argv, run: CommandRunner): void {
  parser.command(
    'run [command..]',
    "Run a command and follow its whole tree's memory until it ends; a summary on stderr, like GNU time",
    (y) =>
      y
        .positional('command', { type: 'string', array: true, describe: 'The command and its arguments, after --' })
        .options(RUN_OPTIONS)
        .example('$0 run -- python3 app.py', 'Peak and end writable memory, page faults and times of app.py and its children')
        .example('$0 run --json before.json -- ./server --selftest', 'Keep the run as JSON, to diff against a later one'),
    run(async (args) => {
      const { runRun } = await import('./commands/run.js');
      return runRun(args);
    }),
  
  ).command(
    'watch [pid]',
    'Follow the writable memory of a process or program over time, with its trend; alone, the report redrawn in place',
    (y) =>
      y
        .positional('pid', { type: 'string', describe: 'The process to watch' })
        .option('program', { type: 'string', describe: 'Watch a program as the report names it, following restarts' })
        .option('wait', { type: 'boolean', default: false, describe: 'With --program: wait for it to start, rather than exit 1 when none of it runs' })
        .option('interval', { type: 'string', describe: 'One line every DURATION (default 2s)' })
        .option('duration', { type: 'string', describe: 'Stop after DURATION (100ms, 2s, 5m, 1h)' })
        .option('count', { type: 'string', describe: 'Stop after N samples' })
        .option('json', { type: 'boolean', default: false, describe: 'One JSON object per line (footprint.watch/1); the summary comes last' })
        .option('fail-on-leak', { type: 'boolean', default: false, describe: 'Exit 3 when the trend is growing' })
        .option('units', { choices: UNIT_CHOICES, default: 'auto' as const, describe: 'Units for text output' })
        .option('dir', { type: 'string', describe: 'Alone (the whole machine): where the report before an OOM kill is saved (default: $FOOTPRINT_DIR, else ${XDG_STATE_HOME:-~/.local/state}/footprint)' })
        .example('$0 watch 1234 --duration 1h --fail-on-leak', 'Exit 3 if PID 1234 leaks over an hour')
        .example('$0 watch --program postgres', "postgres's writable memory, a line every 2 s")
        .example('$0 watch', 'The report, redrawn every 2 s'),
    run(async (args) => {
      const { runWatch } = await import('./commands/watch.js');
      return runWatch(args);
    }),
  );
}
