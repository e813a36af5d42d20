import { GROUPINGS, REPORT_SCHEMA, type GroupBy, type Report } from '../model/report.js';
import { FIGURE_SPECS } from '../model/figures.js';
import { checkOomMark } from './validateOomMark.js';

/** Figures that are sizes, so never negative; the others (shared: Pss - private) are differences and may dip below 0 by rounding. */
const SIZE_FIELDS = FIGURE_SPECS.filter((figure) => figure.size && figure.optional !== true).map((figure) => figure.key);
const DIFFERENCE_FIELDS = FIGURE_SPECS.filter((figure) => !figure.size).map((figure) => figure.key);
/** Figures a group may lack (unknown, or a report made before them): checked where present. */
const OPTIONAL_FIELDS = FIGURE_SPECS.filter((figure) => figure.optional === true).map((figure) => figure.key);

export type ReportCheck = { ok: true; report: Report } | { ok: false; reason: string };

/**
 * Checks that a parsed JSON value is a footprint.report/1 document, as far as
 * save, diff and history rely on it. Returns the reason it is not, as data.
 */
export function checkReport(value: unknown): ReportCheck {
  if (!isObject(value)) return fail('not a footprint report (not a JSON object)');
  const schema = value.schema;
  if (schema !== REPORT_SCHEMA) {
    const version = typeof schema === 'string' ? /^footprint\.report\/(\d+)$/.exec(schema) : null;
    if (version && Number(version[1]) > 1) {
      return fail(`written as ${schema}, newer than this footprint reads (${REPORT_SCHEMA}); upgrade footprint`);
    }
    // The schema itself is not quoted: a reason never shows a file's content (it may be a link to a secret).
    return fail(`not a footprint report (schema is ${typeof schema === 'string' ? `not ${REPORT_SCHEMA}` : 'missing'})`);
  }
  if (typeof value.time !== 'string' || Number.isNaN(Date.parse(value.time))) return fail('report has no valid "time"');
  if (!GROUPINGS.includes(value.groupBy as GroupBy)) return fail('report has no valid "groupBy"');
  if (typeof value.host !== 'string') return fail('report has no "host"');
  if (!isObject(value.totals)) return fail('report has no "totals"');
  if (!Array.isArray(value.groups)) return fail('report has no "groups" list');
  const groups = value.groups as unknown[];
  for (let index = 0; index < groups.length; index++) {
    const problem = checkGroup(groups[index]);
    if (problem) return fail(`groups[${index}]: ${problem}`);
  }
  if (value.oom !== undefined) {
    const problem = checkOomMark(value.oom);
    if (problem) return fail(`oom: ${problem}`);
  }
  return { ok: true, report: value as unknown as Report };
}

function checkGroup(group: unknown): string | undefined {
  if (!isObject(group)) return 'not an object';
  if (typeof group.name !== 'string') return 'no "name"';
  if (!isCount(group.count)) return '"count" is not a whole number';
  for (const field of SIZE_FIELDS) {
    if (!isCount(group[field])) return `"${field}" is not a whole number of bytes`;
  }
  for (const field of DIFFERENCE_FIELDS) {
    if (!Number.isSafeInteger(group[field])) return `"${field}" is not a whole number of bytes`;
  }
  for (const field of OPTIONAL_FIELDS) {
    if (group[field] !== undefined && !isCount(group[field])) return `"${field}" is not a whole number`;
  }
  return undefined;
}

function isCount(value: unknown): boolean {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fail(reason: string): ReportCheck {
  return { ok: false, reason };
}
