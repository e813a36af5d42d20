import { describe, expect, it } from '@jest/globals';
import { renderPrometheusText } from '../../src/render/prometheusText.js';

describe('the Prometheus text format 0.0.4', () => {
  it('HELP and TYPE before each family, its samples together, a newline at the end', () => {
    expect(renderPrometheusText([
      { name: 'a_bytes', help: 'A figure', type: 'gauge', samples: [{ labels: { program: 'x' }, value: 1 }, { labels: { program: 'y' }, value: 2 }] },
      { name: 'b_seconds', help: 'B', type: 'gauge', samples: [{ labels: {}, value: 0.25 }] },
    ])).toBe([
      '# HELP a_bytes A figure', '# TYPE a_bytes gauge', 'a_bytes{program="x"} 1', 'a_bytes{program="y"} 2',
      '# HELP b_seconds B', '# TYPE b_seconds gauge', 'b_seconds 0.25', '',
    ].join('\n'));
  });

  it('label values escape backslash, double quote and newline; HELP escapes backslash and newline', () => {
    const text = renderPrometheusText([
      { name: 'c', help: 'one\\two\nthree "q"', type: 'gauge', samples: [{ labels: { program: 'evil\\ "name"\nnext', user: 'u' }, value: 3 }] },
    ]);
    expect(text).toBe('# HELP c one\\\\two\\nthree "q"\n# TYPE c gauge\nc{program="evil\\\\ \\"name\\"\\nnext",user="u"} 3\n');
  });

  it('special values as the format spells them', () => {
    const text = renderPrometheusText([{ name: 'd', help: 'd', type: 'gauge', samples: [NaN, Infinity, -Infinity].map((value) => ({ labels: {}, value })) }]);
    expect(text.split('\n').slice(2, 5)).toEqual(['d NaN', 'd +Inf', 'd -Inf']);
  });
});
