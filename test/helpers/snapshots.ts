/**
 * The captured /proc trees under snapshots/ (see snapshots/README.md for how
 * each was made), and a runner for the built CLI against them.
 */
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FOOTPRINT_BIN } from './runFootprint.js';

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

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node bin/footprint.js ARGS` (the built CLI) and waits for it. */
export function runCli(args: string[], options: { env?: NodeJS.ProcessEnv; input?: string } = {}): CliResult {
  const spawnOptions: SpawnSyncOptions = {
    encoding: 'utf8',
    cwd: REPO,
    timeout: 30_000,
    input: options.input,
    env: options.env ?? { ...process.env, NO_COLOR: '1' },
  };
  const result = spawnSync(process.execPath, [BIN, ...args], spawnOptions);
  if (result.error) throw result.error;
  return { status: result.status, stdout: String(result.stdout), stderr: String(result.stderr) };
}

/** A --json run that must succeed; returns the parsed document. */
export function runJson(args: string[]): Record<string, any> {
  const result = runCli([...args, '--json']);
  if (result.status !== 0) throw new Error(`footprint ${args.join(' ')} --json exited ${result.status}: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

export const KIB = 1024;
