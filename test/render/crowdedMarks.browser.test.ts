/**
 * run --html with marks that crowd (issue 22 item 8): a real run prints 60
 * marked lines within a few milliseconds, long ones and one of wide
 * characters among them. Chromium lays the page out and a script added to a
 * copy of it (the page itself forbids scripts) reports where each label is:
 * no label is cut to nothing, no two on the chart overlap, each stays inside
 * the chart, and every mark's whole line is visible in the numbered table.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, screenshot } from '../helpers/chromium.js';
import { fixtureBinary } from '../helpers/liveProcesses.js';
import { BIN, tempDir } from '../helpers/storeFixtures.js';

interface Box { text: string; x: number; y: number; width: number; height: number }

/** What the added script reports: each chart label's box, the chart's, and each row of the marks table (its Line cell). */
const MEASURE = `<script>
const box = (element) => { const r = element.getBoundingClientRect(); return { text: element.textContent, x: r.x, y: r.y, width: r.width, height: r.height }; };
const found = {
  chart: box(document.getElementById('chart')),
  labels: [...document.querySelectorAll('text.mark-label')].map(box),
  others: [...document.querySelectorAll('g.peak text, g.legend text')].map(box),
  rows: [...document.querySelectorAll('#marks tbody tr')].map((row) => ({ ...box(row.lastElementChild), number: row.firstElementChild.textContent, visibility: getComputedStyle(row.lastElementChild).visibility })),
};
const out = document.createElement('pre');
out.id = 'measured';
out.textContent = JSON.stringify(found);
document.body.append(out);
</script>`;

const overlap = (a: Box, b: Box) => a.x < b.x + b.width - 0.5 && b.x < a.x + a.width - 0.5 && a.y < b.y + b.height - 0.5 && b.y < a.y + a.height - 0.5;

describe('run --html with crowded marks, in a real browser', () => {
  test('every label keeps its text: stacked, or its number on the chart and its whole line in the numbered table; none overlap', () => {
    const dir = tempDir('footprint-crowded-');
    try {
      checkCrowdedPage(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** Runs the crowded marks into `dir`, lays the page out in Chromium and checks every label. */
function checkCrowdedPage(dir: string): void {
  const page = join(dir, 'run.html');
  const json = join(dir, 'run.json');
  const lines = Array.from({ length: 60 }, (_, i) => i === 7 ? 'step 漢字の行はふた幅で数える' : `step ${i + 1} ${i % 3 === 0 ? 'a long line of output that goes on and on past the label width' : 'short'}`);
  const script = [fixtureBinary('memscript'), 'w8', ...lines.map((line) => `m${line}`), 's2000', 'mstep last, alone at the end', 's1000'];
  const result = spawnSync(process.execPath, [BIN, 'run', '--mark', '^step', '--html', page, '--json', json, '--', ...script], { encoding: 'utf8' });
  expect(result.status).toBe(0);
  const run = JSON.parse(readFileSync(json, 'utf8')) as { marks: { text: string }[] };
  expect(run.marks.map((mark) => mark.text)).toEqual([...lines, 'step last, alone at the end']);

  // The same page with the measuring script and without the policy that forbids it.
  const measured = join(dir, 'measured.html');
  writeFileSync(measured, readFileSync(page, 'utf8').replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, '').replace('</body>', `${MEASURE}\n</body>`));
  const dom = chromium(['--dump-dom', '--window-size=1200,1000', `file://${measured}`]);
  expect(dom.status).toBe(0);
  const report = /<pre id="measured">([^<]*)<\/pre>/.exec(dom.stdout);
  expect(report).not.toBeNull();
  const found = JSON.parse(report![1].replace(/&amp;/g, '&').replace(/&quot;/g, '"')) as { chart: Box; labels: Box[]; others: Box[]; rows: (Box & { number: string; visibility: string })[] };

  // Every mark's whole line in the numbered table, laid out and visible.
  expect(found.rows.map((row) => [row.number, row.text])).toEqual(run.marks.map((mark, index) => [String(index + 1), mark.text]));
  for (const row of found.rows) {
    expect(row.visibility).toBe('visible');
    expect(row.width).toBeGreaterThan(0);
  }
  // On the chart: no label is empty; each is its number and its line (whole, or its start and …), or its number alone.
  expect(found.labels.length).toBeGreaterThan(0);
  for (const label of found.labels) {
    expect(label.width).toBeGreaterThan(0);
    const [, number, text] = /^(\d+)(?: (.*))?$/.exec(label.text)!;
    const whole = run.marks[Number(number) - 1].text;
    if (text !== undefined) expect(text.endsWith('…') ? whole.startsWith(text.slice(0, -1)) : text === whole).toBe(true);
    // Inside the chart.
    expect(label.x).toBeGreaterThanOrEqual(found.chart.x);
    expect(label.x + label.width).toBeLessThanOrEqual(found.chart.x + found.chart.width);
    expect(label.y + label.height).toBeLessThanOrEqual(found.chart.y + found.chart.height);
  }
  // No two labels overlap, in the browser's own measure (wide characters included).
  // The peak's call-out and the legend are text too: none crosses a label.
  expect(found.others.length).toBe(3);
  const texts = [...found.labels, ...found.others];
  const overlapping = texts.flatMap((a, i) => texts.slice(i + 1).filter((b) => overlap(a, b)).map((b) => `${a.text} / ${b.text}`));
  expect(overlapping).toEqual([]);
  // The mark alone at the end has room for its whole line; the crowd's are told where they are.
  expect(found.labels.map((label) => label.text)).toContain(`61 step last, alone at the end`);
  const shortened = run.marks.length - found.labels.filter((label) => label.text.includes(' ') && !label.text.endsWith('…')).length;
  expect(dom.stdout).toContain(`${shortened} marks are too crowded on the chart for their whole line: by number in the table below.`);
  screenshot(measured, 'run-html-crowded-marks.png', '1100,1000');
}
