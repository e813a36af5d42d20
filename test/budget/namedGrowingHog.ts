/**
 * test/fixtures/growingHog.c under a name no other test runs (its group's series are one test file's alone), started
 * with MIB touched, and told to grow; the budget's live tests (serve, watch, export) share it. The caller ends it by
 * PID (it is pushed into `started`) and removes `dir`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixtureBinary } from '../helpers/liveProcesses.js';
import { until } from '../helpers/until.js';
import { tempDir } from '../helpers/tempPaths.js';

export interface NamedHog {
  dir: string;
  program: string;
  pid: number;
  /** Grows it by `mib` and waits until it says it holds `total` MiB. */
  grow(mib: number, total: number): Promise<void>;
}

export async function startNamedHog(tag: string, mib: number, started: ChildProcess[]): Promise<NamedHog> {
  const dir = tempDir(`footprint-${tag}-`);
  chmodSync(dir, 0o755);
  const program = `fp-${tag}-${process.pid}`;
  copyFileSync(fixtureBinary('growingHog'), join(dir, program));
  chmodSync(join(dir, program), 0o755);
  const hog = spawn(join(dir, program), [String(mib)], { stdio: ['pipe', 'pipe', 'inherit'] });
  started.push(hog);
  let said = '';
  hog.stdout!.on('data', (chunk: Buffer) => { said += chunk.toString(); });
  const ready = new RegExp(`ready pid=(\\d+) mib=${mib}\\n`);
  const pid = await until('growingHog ready', () => {
    const found = ready.exec(said);
    return found === null ? undefined : Number(found[1]);
  }, 120_000);
  return {
    dir,
    program,
    pid,
    async grow(more: number, total: number): Promise<void> {
      hog.stdin!.write(`grow ${more}\n`);
      await until(`growingHog at ${total} MiB`, () => (said.includes(`grown mib=${total}\n`) ? true : undefined), 120_000);
    },
  };
}

/** One sample's value from a scrape or a textfile, or undefined where the series is absent. */
export function seriesValue(body: string, name: string, labels: string): number | undefined {
  const line = body.split('\n').find((text) => text.startsWith(`${name}${labels} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}
