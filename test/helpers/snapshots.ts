/**
 * The captured /proc trees under snapshots/ (see snapshots/README.md for how
 * each was made), and a runner for the built CLI against them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FOOTPRINT_BIN, runCli as runFootprintCli, type RunResult } from './runFootprint.js';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
/** The built CLI: the one path (runFootprint.ts). */
export const BIN = FOOTPRINT_BIN;

export type SnapshotName = 'node-many-mappings' | 'deleted-exe' | 'kernel-thread' | 'no-smaps-rollup' | 'hostile-names'
  | 'system-memory/plain' | 'system-memory/pools';

/** DIR/proc of a snapshot, as --proc-root takes it. */
export function procRoot(snapshot: SnapshotName): string {
  return join(REPO, 'snapshots', snapshot, 'proc');
}

/** The text of one captured file, e.g. snapshotText('kernel-thread', '2/smaps'). */
export function snapshotText(snapshot: SnapshotName, relative: string): string {
  return readFileSync(join(procRoot(snapshot), relative), 'utf8');
}

/** The one runner of the built CLI (runFootprint.ts), run from the repo. */
export type CliResult = RunResult;
export function runCli(args: string[], options: { env?: NodeJS.ProcessEnv; input?: string } = {}): CliResult {
  return runFootprintCli(args, { ...options, cwd: REPO });
}

/** A --json run that must succeed; returns the parsed document. */
export function runJson(args: string[]): Record<string, any> {
  const result = runCli([...args, '--json']);
  if (result.status !== 0) throw new Error(`footprint ${args.join(' ')} --json exited ${result.status}: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

export const KIB = 1024;
