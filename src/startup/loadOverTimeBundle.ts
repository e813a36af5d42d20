import { fs } from '../requireBuiltin.js';
import { loadCompiled } from './loadCompiled.js';

export type OverTimeBundle = typeof import('./entries/overTimeBundle.js');

/** dist/overTime.cjs, beside the entry, with its code cache (as the report's); undefined when running from source. */
export function loadOverTimeBundle(): OverTimeBundle | undefined {
  const bundle = `${import.meta.dirname}/overTime.cjs`;
  return fs.existsSync(bundle) ? loadCompiled<OverTimeBundle>(bundle).exports : undefined;
}
