/**
 * BcryptPool against the built worker (dist/bcryptWorker.cjs, bcryptjs in a
 * thread of its own): comparisons run a bounded number at once, a full queue
 * answers busy at once, and a comparison whose client has gone before it
 * started is dropped and frees its place.
 */
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import bcrypt from 'bcryptjs';
import { BcryptPool } from '../../src/serve/bcryptPool.js';
import { assertBuilt, FOOTPRINT_HOME } from '../helpers/runFootprint.js';

const WORKER = join(FOOTPRINT_HOME, 'dist', 'bcryptWorker.cjs');
let pool: BcryptPool | undefined;
let hash: string;

beforeAll(() => {
  assertBuilt();
  hash = bcrypt.hashSync('secret', 4);
});

afterEach(() => {
  pool?.close();
});

describe('BcryptPool', () => {
  it('compares in its thread: match and mismatch', async () => {
    pool = new BcryptPool(1, 4, WORKER);
    const live = new AbortController().signal;
    expect(await Promise.all([pool.compare('secret', hash, live), pool.compare('wrong', hash, live)])).toEqual(['match', 'mismatch']);
  });

  it('one running and two waiting at most: the next is busy at once; one that leaves while waiting is gone and frees its place', async () => {
    pool = new BcryptPool(1, 2, WORKER);
    const live = new AbortController().signal;
    const leaving = new AbortController();
    const running = pool.compare('secret', hash, live);
    const left = pool.compare('secret', hash, leaving.signal);
    const waiting = pool.compare('wrong', hash, live);
    expect(pool.queued).toBe(2);
    expect(await pool.compare('secret', hash, live)).toBe('busy');
    leaving.abort();
    expect(await left).toBe('gone');
    expect(pool.queued).toBe(1);
    const taken = pool.compare('secret', hash, live);
    expect(await Promise.all([running, waiting, taken])).toEqual(['match', 'mismatch', 'match']);
  });

  it('a client already gone is not queued at all', async () => {
    pool = new BcryptPool(1, 2, WORKER);
    const gone = new AbortController();
    gone.abort();
    expect(await pool.compare('secret', hash, gone.signal)).toBe('gone');
    expect(pool.queued).toBe(0);
  });
});
