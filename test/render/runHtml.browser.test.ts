import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, drawnSeries, screenshot } from '../helpers/chromium.js';
import { fixtureBinary } from '../helpers/liveProcesses.js';
import { BIN, MiB, tempDir } from '../helpers/storeFixtures.js';
import { formatMs } from '../../src/render/runSummary.js';
import { formatByteChange, formatBytes } from '../../src/render/units.js';


describe('run --html in a real browser', () => {
  test('Chromium draws writable memory and RAM used over the run, the marks, the peak and the summary', () => {
    const dir = tempDir();
    const page = join(dir, 'run.html');
    const json = join(dir, 'run.json');
    const script = [fixtureBinary('memscript'), 's100', 'mstep <one>', 'w32', 's300', 'mstep two', 'w32', 's300', 'u', 's200'];
    const result = spawnSync(process.execPath, [BIN, 'run', '--mark', '^step', '--html', page, '--json', json, '--', ...script], { encoding: 'utf8' });
    expect(result.status).toBe(0);
    const run = JSON.parse(readFileSync(json, 'utf8'));
    const html = readFileSync(page, 'utf8');
    expect(html).not.toMatch(/(src|href)=["']?https?:/);

    const dom = chromium(['--dump-dom', `file://${page}`]);
    expect(dom.status).toBe(0);
    expect(drawnSeries(dom.stdout)).toEqual([['RAM used', run.samples.length, run.samples.length], ['Writable', run.samples.length, run.samples.length]]);
    // The marks as labelled lines, the label escaped (a line is the program's, not the page's).
    expect([...dom.stdout.matchAll(/<g class="mark" data-ms="(\d+)">[\s\S]*?<text[^>]*>([^<]*)<\/text>/g)].map((match) => [Number(match[1]), match[2]]))
      .toEqual([[run.marks[0].ms, '1 step &lt;one&gt;'], [run.marks[1].ms, '2 step two']]);
    // Hovering a mark gives its whole line, time and the memory then.
    expect(dom.stdout).toContain(`<title>step two (${formatMs(run.marks[1].ms)}: writable ${formatBytes(run.marks[1].writable)} (${formatByteChange(run.marks[1].change)}))</title>`);
    const peakMiB = (run.peak.writable / MiB).toFixed(1);
    expect(dom.stdout).toMatch(new RegExp(`<g class="peak">.*peak ${peakMiB} MiB at (?:\\d+ ms|\\d+\\.\\d\\d s), 1 process</text>`));
    expect(dom.stdout).toContain('>Time since the command started</text>');
    // With the kernel's VmHWM, and the cgroup's charge where the run had a cgroup (as root).
    expect((dom.stdout.match(/<tr><th scope="row">/g) ?? []).length).toBe(run.kernel.cgroup === undefined ? 11 : 12);
    expect(dom.stdout).toContain(`<tr><th scope="row">Samples</th><td class="text">${run.sampling.samples} taken (${run.samples.length} kept), median `);
    expect(dom.stdout).toContain(`<tr><th scope="row">Peak writable</th><td class="text">${peakMiB} MiB at`);
    expect((dom.stdout.match(/<tr><td>\d<\/td><td>(?:\d+ ms|\d+\.\d\d s)<\/td><td>[\d.]+ [KM]iB<\/td><td>[+-]?[\d.]+ [KM]iB<\/td><td class="text">step/g) ?? []).length).toBe(2);

    const shot = screenshot(page, 'run-html.png', '1100,1000');
    expect(readFileSync(shot).subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(statSync(shot).size).toBeGreaterThan(20_000);
  });
});
