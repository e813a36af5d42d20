import { loadBuiltBundle } from './loadCompiled.js';

/** dist/files.cjs, beside the entry, with its code cache (as the report's); undefined when running from source. `Bundle`: cli/entries/filesBundle.ts's type. */
export function loadFilesBundle<Bundle>(): Bundle | undefined {
  return loadBuiltBundle<Bundle>(`${import.meta.dirname}/files.cjs`);
}
