import { fs } from '../requireBuiltin.js';
import { loadCompiled } from './loadCompiled.js';

/** dist/overTime.cjs, beside the entry, with its code cache (as the report's); undefined when running from source. `Bundle`: cli/entries/overTimeBundle.ts's type. */
export function loadOverTimeBundle<Bundle>(): Bundle | undefined {
  const bundle = `${import.meta.dirname}/overTime.cjs`;
  return fs.existsSync(bundle) ? loadCompiled<Bundle>(bundle).exports : undefined;
}
