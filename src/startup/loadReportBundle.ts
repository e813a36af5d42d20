import { fs } from '../requireBuiltin.js';
import { loadCompiled } from './loadCompiled.js';

/**
 * The built report and its fast argument reader (dist/report.cjs, beside the
 * entry), with its code cache; undefined when running from source. `Bundle` is
 * its entry's type (cli/entries/reportBundle.ts): startup/ knows no cli/.
 */
export function loadReportBundle<Bundle>(): Bundle | undefined {
  const bundle = `${import.meta.dirname}/report.cjs`;
  return fs.existsSync(bundle) ? loadCompiled<Bundle>(bundle).exports : undefined;
}
