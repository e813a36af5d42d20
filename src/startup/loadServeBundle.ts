import { loadBuiltBundle } from './loadCompiled.js';

/** dist/serve.cjs, beside the entry; undefined when running from source. `Bundle`: cli/entries/serveBundle.ts's type. */
export function loadServeBundle<Bundle>(): Bundle | undefined {
  return loadBuiltBundle<Bundle>(`${import.meta.dirname}/serve.cjs`);
}
