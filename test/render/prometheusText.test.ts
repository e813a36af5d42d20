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

  it('label values are the report text\'s (backslash doubled, newline as \\n), then escaped for the format; HELP escapes backslash and newline', () => {
    const text = renderPrometheusText([
      { name: 'c', help: 'one\\two\nthree "q"', type: 'gauge', samples: [{ labels: { program: 'evil\\ "name"\nnext', user: 'u' }, value: 3 }] },
    ]);
    // The value Prometheus reads is `evil\\ "name"\nnext` with a visible backslash-n, as the report shows it.
    expect(text).toBe('# HELP c one\\\\two\\nthree "q"\n# TYPE c gauge\nc{program="evil\\\\\\\\ \\"name\\"\\\\nnext",user="u"} 3\n');
  });

  it('ESC, other controls, DEL, C1 controls and bidi overrides in a label value never reach the text raw: shown as the report shows them', () => {
    const text = renderPrometheusText([
      { name: 'e', help: 'e', type: 'gauge', samples: [{ labels: { program: 'a\x1b[2Jb\u202ec\x07d\x7fe\x9bf\u2066g\rh' }, value: 1 }] },
    ]);
    expect(text.split('\n')[2]).toBe('e{program="a\\\\e[2Jb\\\\u202ec\\\\x07d\\\\x7fe\\\\x9bf\\\\u2066g\\\\rh"} 1');
    expect(text).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/);
  });

  it('two names that differ only in a control character and its spelled-out escape stay two series', () => {
    const text = renderPrometheusText([
      { name: 'f', help: 'f', type: 'gauge', samples: [{ labels: { program: 'x\x1b' }, value: 1 }, { labels: { program: 'x\\e' }, value: 2 }] },
    ]);
    expect(text.split('\n').slice(2, 4)).toEqual(['f{program="x\\\\e"} 1', 'f{program="x\\\\\\\\e"} 2']);
  });

  it('special values as the format spells them', () => {
    const text = renderPrometheusText([{ name: 'd', help: 'd', type: 'gauge', samples: [NaN, Infinity, -Infinity].map((value) => ({ labels: {}, value })) }]);
    expect(text.split('\n').slice(2, 5)).toEqual(['d NaN', 'd +Inf', 'd -Inf']);
  });
});
