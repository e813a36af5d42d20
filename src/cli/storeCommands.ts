import type { Argv } from 'yargs';
import type { CommandRunner } from './main.js';

/** save, diff and history: the daily-report commands. */
export function registerReportStoreCommands(_parser: Argv, _run: CommandRunner): void {}
