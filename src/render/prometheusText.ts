import type { MetricFamily } from '../model/metrics.js';
import { escapeText } from './escapeText.js';

/** Prometheus text format 0.0.4, as a Content-Type. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** HELP text escapes backslash and newline; label values also the double quote. */
function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

/**
 * A label value is what the report's text shows (escapeText: ESC as `\e`, bidi
 * overrides as `\u202e`, backslash doubled), then escaped for the format. The
 * format itself would carry ESC and U+202E raw into every dashboard and
 * terminal that shows the label, and knows no escape for them (promtool refuses
 * any but `\\`, `\"` and `\n`), so the value is the visible text instead;
 * escapeText is one-to-one, so two programs never share a label.
 */
function escapeLabelValue(text: string): string {
  return escapeText(text).replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

/**
 * The families in the text exposition format 0.0.4: `# HELP` and `# TYPE`
 * before each family, its samples together, label values escaped, no
 * timestamps, a newline at the end.
 */
export function renderPrometheusText(families: readonly MetricFamily[]): string {
  const lines: string[] = [];
  for (const family of families) {
    lines.push(`# HELP ${family.name} ${escapeHelp(family.help)}`, `# TYPE ${family.name} ${family.type}`);
    for (const sample of family.samples) {
      const labels = Object.entries(sample.labels).map(([name, value]) => `${name}="${escapeLabelValue(value)}"`);
      lines.push(`${family.name}${labels.length > 0 ? `{${labels.join(',')}}` : ''} ${formatValue(sample.value)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
