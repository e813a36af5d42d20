import { fs, requireBuiltin } from './requireBuiltin.js';

export type OverTimeBundle = typeof import('./overTimeBundle.js');

/** dist/overTime.cjs, beside the entry; undefined when running from source. */
export function loadOverTimeBundle(): OverTimeBundle | undefined {
  const bundle = `${import.meta.dirname}/overTime.cjs`;
  return fs.existsSync(bundle) ? (requireBuiltin(bundle) as OverTimeBundle) : undefined;
}
