import { requireBuiltin } from '../requireBuiltin.js';

const { setFlagsFromString } = requireBuiltin('node:v8') as typeof import('node:v8');
const { runInNewContext } = requireBuiltin('node:vm') as typeof import('node:vm');

/** Every so many whole-machine scans, one full collection: measured best for serve (below). */
export const SCANS_PER_COLLECTION = 8;

/**
 * A tick that runs a full garbage collection at every `every`-th call, once the
 * work at hand is done (setImmediate: after the response is written). serve and
 * watch scan again and again without a pause long enough for V8's idle-time
 * memory reducer: between full collections the old generation fills with the
 * last scans' garbage (measured with serve scraped back to back: RSS 83-95 MB,
 * 76-78 MB collecting every 8th, the scan's median within the noise). gc() is
 * V8's own, exposed by --expose-gc set at run time.
 */
export function boundGarbage(every = SCANS_PER_COLLECTION): () => void {
  setFlagsFromString('--expose-gc');
  const collect = runInNewContext('gc') as () => void;
  let calls = 0;
  return () => {
    if (++calls % every === 0) setImmediate(collect);
  };
}
