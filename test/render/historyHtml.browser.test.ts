import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, drawnSeries, screenshot } from '../helpers/chromium.js';
import { MiB, ago, group, report, runCli, tempDir, writeReport } from '../helpers/storeFixtures.js';


describe('history --html in a real browser', () => {
  test('Chromium draws one line per top program, with legend, axes and the figures table', () => {
    const dir = tempDir();
    const days = 14;
    for (let day = 0; day < days; day++) {
      writeReport(dir, report(ago(days - 1 - day, 1), [
        group('postgres', (200 + day * 15) * MiB), group('nginx', 120 * MiB), group('redis-server', (90 - day * 3) * MiB),
        group('small', MiB),
      ]));
    }
    const page = join(dir, 'history.html');
    const result = runCli(['history', '--dir', dir, '--top', '3', '--html', page]);
    expect([result.status, result.stdout, result.stderr]).toEqual([0, '', '']);
    const html = readFileSync(page, 'utf8');
    expect(html).not.toMatch(/(src|href)=["']?https?:/);

    const dom = chromium(['--dump-dom', `file://${page}`]);
    expect(dom.status).toBe(0);
    expect(drawnSeries(dom.stdout)).toEqual([['postgres', 14, 14], ['nginx', 14, 14], ['redis-server', 14, 14]]);
    expect([...dom.stdout.matchAll(/<g class="legend-item" data-series="([^"]+)"/g)].map((match) => match[1]))
      .toEqual(['postgres', 'nginx', 'redis-server']);
    expect(dom.stdout).toContain('>Time (UTC)</text>');
    expect(dom.stdout).toContain('>Writable memory</text>');
    expect((dom.stdout.match(/<tr><th scope="row">/g) ?? []).length).toBe(14);
    expect(dom.stdout).toContain('<td title="414187520 bytes">395.0 MiB</td>');

    const shot = screenshot(page, 'history-html.png', '1100,900');
    expect(readFileSync(shot).subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(statSync(shot).size).toBeGreaterThan(20_000);
  });
});
