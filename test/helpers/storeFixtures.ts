import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { ProgramGroup, Report } from '../../src/model/report.js';
import { FOOTPRINT_BIN } from './runFootprint.js';
import { tempDir as listedTempDir } from './tempPaths.js';

/** The built CLI: the one path (runFootprint.ts). */
export const BIN = FOOTPRINT_BIN;
export const MiB = 1024 * 1024;

/** A new folder in /tmp, removed at the end of the run (tempPaths.ts): `footprint-store-XXXXXX` unless told. */
export function tempDir(prefix = 'footprint-store-'): string {
  return listedTempDir(prefix);
}

/** A group whose figures follow from writable (W) and shared (S), in KiB multiples like smaps. */
export function group(name: string, writable: number, shared = 0, count = 1): ProgramGroup {
  const privateClean = 4096;
  const privateBytes = writable + privateClean;
  return {
    name, count, pids: Array.from({ length: count }, (_, index) => 100 + index), writable, privateClean,
    private: privateBytes, shared, ram: privateBytes + shared, pss: privateBytes + shared, rss: privateBytes + shared,
    swap: 0, estimated: false,
  };
}

export function report(time: string, groups: ProgramGroup[], groupBy: Report['groupBy'] = 'program'): Report {
  const sum = (field: 'writable' | 'private' | 'shared' | 'ram' | 'pss' | 'rss' | 'swap') =>
    groups.reduce((total, each) => total + each[field], 0);
  return {
    schema: 'footprint.report/1', tool: 'footprint test', host: 'testhost', kernel: '6.1.0', time, source: 'smaps_rollup', groupBy,
    scan: { seen: groups.length, measured: groups.length, kernelThreads: 0, denied: 0, gone: 0, zombies: 0, estimated: 0, ms: 1 },
    groups,
    totals: {
      writable: sum('writable'), private: sum('private'), shared: sum('shared'), ram: sum('ram'), pss: sum('pss'), rss: sum('rss'), swap: sum('swap'),
    },
    system: { memTotal: 8 * 1024 * MiB, memAvailable: 4 * 1024 * MiB, used: 4 * 1024 * MiB, shmem: 0, accounted: sum('ram') },
  };
}

/** `2026-11-25T17:45:12Z` → `2026-11-25T174512Z.json.gz`, as save names it. */
export function nameFor(time: string, suffix = '.json.gz'): string {
  const iso = new Date(time).toISOString();
  return `${iso.slice(0, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z${suffix}`;
}

export function writeReport(dir: string, value: Report, gzip = true): string {
  const path = join(dir, nameFor(value.time, gzip ? '.json.gz' : '.json'));
  const text = `${JSON.stringify(value)}\n`;
  writeFileSync(path, gzip ? gzipSync(text) : text);
  return path;
}

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): CliResult {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8', env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

export function runCliAsync(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (status) => done({ status, stdout, stderr }));
  });
}

/** ISO time `days` days and `hours` hours before now, rounded to the second. */
export function ago(days: number, hours = 0): string {
  return new Date(Math.floor((Date.now() - days * 86_400_000 - hours * 3_600_000) / 1000) * 1000).toISOString();
}
