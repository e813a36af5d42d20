import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { copyFileSync, createWriteStream, mkdirSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { constants, createGzip, gunzipSync, gzipSync } from 'node:zlib';
import { BIN, MiB, ago, group, nameFor, report, runCli, tempDir, writeReport } from '../helpers/storeFixtures.js';

/*
 * A report directory and report files as a hostile or unlucky user leaves them
 * (issue 12): a gzip bomb, a device, a FIFO, a link to a secret.
 */

const BOMB_MIB = 2048;
let workDir: string;
let bomb: string;

/** 2 GiB of zeros, gzip'ed as one stream (RLE: the ratio of level 9, at a fraction of its time): about 2 MB. */
async function makeBomb(path: string): Promise<void> {
  const zeros = Buffer.alloc(MiB);
  async function* chunks() {
    for (let index = 0; index < BOMB_MIB; index++) yield zeros;
  }
  await pipeline(Readable.from(chunks()), createGzip({ level: 9, strategy: constants.Z_RLE }), createWriteStream(path));
}

/** The CLI under GNU time: its exit status, stderr and peak RSS (KiB, the kernel's ru_maxrss). */
function measured(args: string[]): { status: number | null; stderr: string; maxRssKib: number } {
  const rssFile = join(workDir, `rss-${Math.random().toString(16).slice(2)}`);
  const result = spawnSync('/usr/bin/time', ['-f', '%M', '-o', rssFile, process.execPath, BIN, ...args], {
    encoding: 'utf8', env: { PATH: process.env.PATH, HOME: process.env.HOME }, timeout: 120_000, killSignal: 'SIGKILL',
  });
  const maxRssKib = Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop());
  return { status: result.status, stderr: result.stderr, maxRssKib };
}

beforeAll(async () => {
  workDir = tempDir('footprint-hostile-store-');
  bomb = join(workDir, 'bomb.json.gz');
  await makeBomb(bomb);
}, 120_000);

afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe('a gzip bomb in the report directory', () => {
  test('the bomb is what the issue describes: about 2 MB that inflate to 2 GiB', () => {
    const size = readFileSync(bomb).length;
    expect(size).toBeGreaterThan(1.9 * MiB);
    expect(size).toBeLessThan(2.1 * MiB);
    // The gzip trailer's ISIZE: the inflated length mod 2^32.
    expect(readFileSync(bomb).readUInt32LE(size - 4)).toBe(BOMB_MIB * MiB);
  });

  test('history warns, skips it and shows the rest, in bounded memory (rebuilt in worker threads)', () => {
    const dir = join(workDir, 'history');
    mkdirSync(dir);
    // Five days of reports, so that the index is rebuilt by worker threads; the bomb among them.
    for (let day = 0; day < 5; day++) writeReport(dir, report(ago(4 - day, 2), [group('a', (day + 1) * MiB)]));
    const bombName = nameFor(ago(2, 1));
    copyFileSync(bomb, join(dir, bombName));
    const result = measured(['history', '--dir', dir, '--json']);
    expect(result.stderr).toBe(
      `footprint: warning: skipping ${dir}/${bombName}: inflates to more than 8 MiB, footprint's cap for a report or run document\n`);
    expect(result.status).toBe(0);
    // 4.25 GB before the cap; the cap and one thread's buffers are tens of MB.
    expect(result.maxRssKib).toBeLessThan(250 * 1024);
    const json = JSON.parse(runCli(['history', '--dir', dir, '--json']).stdout);
    expect(json.reports).toBe(5);
    // The bomb's point is a gap: no report there could be read.
    expect(json.series[0].values.map((value: number | null) => (value === null ? null : value / MiB))).toEqual([1, 2, 3, null, 4, 5]);
  });

  test('save writes its report, warns about the bomb of the same day, exits 0', () => {
    const dir = join(workDir, 'save');
    mkdirSync(dir);
    const bombName = nameFor(new Date(Math.floor(Date.now() / 1000) * 1000).toISOString());
    copyFileSync(bomb, join(dir, bombName));
    const result = measured(['save', '--dir', dir, '--pid', String(process.pid)]);
    expect(result.stderr).toBe(
      `footprint: warning: ${dir}/${bombName} is not a usable report, history skips it: inflates to more than 8 MiB, footprint's cap for a report or run document\n`);
    expect(result.status).toBe(0);
    expect(result.maxRssKib).toBeLessThan(250 * 1024);
    const reports = readdirSync(dir).filter((name) => name.endsWith('.json.gz') && name !== bombName);
    expect(reports).toHaveLength(1);
    expect(JSON.parse(gunzipSync(readFileSync(join(dir, reports[0]))).toString()).schema).toBe('footprint.report/1');
  });

  test('a crafted report of 2.3 million empty objects (under the cap) is skipped before parsing: history goes on', () => {
    const dir = join(workDir, 'dense');
    mkdirSync(dir);
    for (let day = 0; day < 5; day++) writeReport(dir, report(ago(4 - day, 2), [group('a', (day + 1) * MiB)]));
    // 6.9 MB of `{},`: parsed in a 48 MB index thread, it ran out of heap and history failed (exit 1).
    const denseName = nameFor(ago(2, 1));
    writeFileSync(join(dir, denseName), gzipSync(`{"schema":"footprint.report/1","groups":[${'{},'.repeat(2_300_000)}{}]}`));
    const result = measured(['history', '--dir', dir, '--json']);
    expect(result.stderr).toBe(`footprint: warning: skipping ${dir}/${denseName}: too many JSON values for a report (2300003 objects and arrays, 2300002 values), more than footprint parses\n`);
    expect(result.status).toBe(0);
    expect(result.maxRssKib).toBeLessThan(250 * 1024);
  });

  test('diff of the bomb fails with one line, exit 2', () => {
    const dir = join(workDir, 'diff');
    mkdirSync(dir);
    const good = writeReport(dir, report(ago(1), [group('a', MiB)]));
    const result = measured(['diff', bomb, good]);
    expect([result.status, result.stderr]).toEqual([2, `footprint: ${bomb}: inflates to more than 8 MiB, footprint's cap for a report or run document\n`]);
    expect(result.maxRssKib).toBeLessThan(250 * 1024);
  });
});

describe('files that are not reports', () => {
  const dir = tempDir('footprint-hostile-files-');
  const good = writeReport(dir, report(ago(1), [group('a', MiB)]));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('diff /dev/zero REPORT fails at once with one line (it grew to 24 GB before)', () => {
    const result = runWithin(['diff', '/dev/zero', good]);
    expect(result).toEqual({ status: 2, stdout: '', stderr: 'footprint: /dev/zero: not a regular file (a character device)\n' });
  });

  test('diff FIFO REPORT fails at once with one line (it hung before)', () => {
    const fifo = join(dir, 'fifo.json');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    expect(runWithin(['diff', fifo, good])).toEqual({ status: 2, stdout: '', stderr: `footprint: ${fifo}: not a regular file (a FIFO)\n` });
    expect(runWithin(['diff', good, fifo])).toEqual({ status: 2, stdout: '', stderr: `footprint: ${fifo}: not a regular file (a FIFO)\n` });
  });

  test('a FIFO in place of an index segment: history rebuilds the day and replaces it, rather than waiting on it', () => {
    const store = join(dir, 'store');
    mkdirSync(store);
    const time = ago(1);
    writeReport(store, report(time, [group('a', 3 * MiB)]));
    mkdirSync(join(store, '.footprint-index'));
    const segment = join(store, '.footprint-index', `${time.slice(0, 10)}.idx`);
    expect(spawnSync('mkfifo', [segment]).status).toBe(0);
    const result = runWithin(['history', '--dir', store, '--json']);
    expect([result.status, result.stderr]).toEqual([0, '']);
    expect(JSON.parse(result.stdout).series[0].values).toEqual([3 * MiB]);
    expect(statSync(segment).isFile()).toBe(true);
  });

  test('a plain file over the cap is refused without being read', () => {
    const big = join(dir, 'big.json');
    writeFileSync(big, '');
    // Sparse: 9 MiB long, no blocks on disk.
    spawnSync('truncate', ['-s', String(9 * MiB), big]);
    expect(runWithin(['diff', big, good])).toEqual({
      status: 2, stdout: '', stderr: `footprint: ${big}: larger than 8 MiB, footprint's cap for a report or run document\n`,
    });
  });

  test('an error never quotes the file: a link to a secret, and JSON with a made-up schema', () => {
    const secret = join(dir, 'secret');
    writeFileSync(secret, 'root:$6$s3cr3tHash:20000:0:99999:7:::\n', { mode: 0o600 });
    const link = join(dir, 'shadow.json');
    symlinkSync(secret, link);
    expect(runWithin(['diff', link, good])).toEqual({ status: 2, stdout: '', stderr: `footprint: ${link}: not JSON\n` });
    const schema = join(dir, 'schema.json.gz');
    writeFileSync(schema, gzipSync('{"schema": "s3cr3t-token"}'));
    expect(runWithin(['diff', schema, good])).toEqual({
      status: 2, stdout: '', stderr: `footprint: ${schema}: not a footprint report (schema is not footprint.report/1)\n`,
    });
  });
});

/** The CLI with a deadline far past what it needs (it answers in well under a second): a hang fails the test instead of the run. */
function runWithin(args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8', env: { PATH: process.env.PATH, HOME: process.env.HOME }, timeout: 30_000, killSignal: 'SIGKILL',
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
