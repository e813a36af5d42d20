import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { MiB, tempDir } from './storeFixtures.js';

export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);

/**
 * Debian's Chromium, headless, with a profile of its own and no network of its
 * own (these machines refuse its background connections, many at a time).
 */
export function chromium(args: string[]) {
  const profile = tempDir('footprint-chromium-');
  return spawnSync(CHROMIUM, [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', `--user-data-dir=${profile}`, ...args,
  ], { encoding: 'utf8', timeout: 60_000, maxBuffer: 32 * MiB });
}
