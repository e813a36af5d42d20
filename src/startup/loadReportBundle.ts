import { fs } from '../requireBuiltin.js';
import { loadCompiled } from './loadCompiled.js';

export type ReportBundle = typeof import('./entries/reportBundle.js');

/**
 * The built report and its fast argument reader (dist/report.cjs, beside the
 * entry), with its code cache; undefined when running from source.
 */
export function loadReportBundle(): ReportBundle | undefined {
  const bundle = `${import.meta.dirname}/report.cjs`;
  return fs.existsSync(bundle) ? loadCompiled<ReportBundle>(bundle).exports : undefined;
}
