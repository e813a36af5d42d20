import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { MiB, tempDir } from './storeFixtures.js';

export const CHROMIUM = '/usr/bin/chromium';

/**
 * Debian's Chromium, headless, with a profile of its own and no network of its
 * own (these machines refuse its background connections, many at a time), removed after.
 */
export function chromium(args: string[]) {
  const profile = tempDir('footprint-chromium-');
  try {
    return spawnSync(CHROMIUM, [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', `--user-data-dir=${profile}`, ...args,
    ], { encoding: 'utf8', timeout: 60_000, maxBuffer: 32 * MiB });
  } finally {
    // Chromium's profile is its own: removed once it has exited, so no run leaves one in /tmp.
    rmSync(profile, { recursive: true, force: true });
  }
}

/** The line charts Chromium drew: each series' name, its data-points, and how many points its path really has. */
export function drawnSeries(dom: string): [string, number, number][] {
  return [...dom.matchAll(/<g class="series" data-series="([^"]+)" data-points="(\d+)">[\s\S]*?<path d="([^"]+)"/g)]
    .map((match) => [match[1], Number(match[2]), match[3].split(/[ML]/).filter((part) => part.trim()).length]);
}

/** Screenshots `page` into test-output/NAME (to look at) and returns its path, once Chromium says it wrote a PNG. */
export function screenshot(page: string, name: string, windowSize: string): string {
  const outputDir = resolve('test-output');
  mkdirSync(outputDir, { recursive: true });
  const path = join(outputDir, name);
  const shot = chromium([`--screenshot=${path}`, `--window-size=${windowSize}`, `file://${page}`]);
  if (shot.status !== 0) throw new Error(`chromium --screenshot exited ${shot.status}: ${shot.stderr}`);
  return path;
}
