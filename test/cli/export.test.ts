/**
 * `footprint export`: one scan as Prometheus metrics, checked against a captured
 * tree's known figures, by promtool (the linter of Prometheus's own project), and
 * read by a real node_exporter's textfile collector.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../helpers/ports.js';
import { stopChildren } from '../helpers/liveProcesses.js';
import { afterAll, describe, expect, test } from '@jest/globals';
import { KIB, procRoot, runCli } from '../helpers/snapshots.js';
import { tempDir } from '../helpers/tempPaths.js';

const PROMTOOL = '/usr/bin/promtool';
const NODE_EXPORTER = '/usr/bin/prometheus-node-exporter';
const TREE = procRoot('node-many-mappings');
const dir = tempDir('footprint-export-');
const started: ChildProcess[] = [];

afterAll(async () => {
  // Every process a test started is ended by its PID.
  await stopChildren(started, 'SIGTERM');
  rmSync(dir, { recursive: true, force: true });
});

function lines(text: string, family: string): string[] {
  return text.split('\n').filter((line) => line.startsWith(`${family}{`) || line.startsWith(`${family} `));
}

describe('footprint export on a captured tree', () => {
  // The figures of snapshots/node-many-mappings (test/cli/report.test.ts): node 11163 writable 6328 kB,
  // RAM 17080 kB; python3.11 shm_kinds.py 11165 writable 4056 kB, RAM 8274 kB.
  const result = runCli(['export', '--proc-root', TREE]);

  test('one series per group and figure, bytes as integers, labelled by program', () => {
    expect([result.status, result.stderr]).toEqual([0, '']);
    expect(lines(result.stdout, 'footprint_writable_bytes')).toEqual([
      `footprint_writable_bytes{program="node"} ${6328 * KIB}`,
      `footprint_writable_bytes{program="python3.11 shm_kinds.py"} ${4056 * KIB}`,
    ]);
    expect(lines(result.stdout, 'footprint_ram_bytes')).toEqual([
      `footprint_ram_bytes{program="node"} ${17080 * KIB}`, `footprint_ram_bytes{program="python3.11 shm_kinds.py"} ${8274 * KIB}`,
    ]);
    expect(lines(result.stdout, 'footprint_processes')).toEqual(['footprint_processes{program="node"} 1', 'footprint_processes{program="python3.11 shm_kinds.py"} 1']);
    expect(lines(result.stdout, 'footprint_scan_processes')).toEqual([
      'footprint_scan_processes{outcome="measured"} 2', 'footprint_scan_processes{outcome="estimated"} 0', 'footprint_scan_processes{outcome="denied"} 0', 'footprint_scan_processes{outcome="gone"} 0',
      'footprint_scan_processes{outcome="kernel_thread"} 0', 'footprint_scan_processes{outcome="zombie"} 0',
      'footprint_scan_processes{outcome="malformed"} 0',
    ]);
    expect(lines(result.stdout, 'footprint_scan_duration_seconds')).toHaveLength(1);
    // grep -E '^(MemTotal|MemAvailable):' snapshots/node-many-mappings/proc/meminfo
    expect(lines(result.stdout, 'footprint_system_memory_bytes').slice(0, 2)).toEqual([
      `footprint_system_memory_bytes{part="total"} ${24683620 * KIB}`, `footprint_system_memory_bytes{part="available"} ${24218576 * KIB}`,
    ]);
    expect(lines(result.stdout, 'footprint_build_info')).toEqual(['footprint_build_info{version="0.1.0"} 1']);
    expect(result.stdout.endsWith('\n')).toBe(true);
    expect(result.stdout).not.toMatch(/ \d+ \d+$/m); // no timestamps
  });

  test('--top 1: the largest group, and the rest summed into one "(other)" series, so sum() is still the whole', () => {
    const top = runCli(['export', '--proc-root', TREE, '--top', '1']).stdout;
    expect(lines(top, 'footprint_writable_bytes')).toEqual([
      `footprint_writable_bytes{program="node"} ${6328 * KIB}`, `footprint_writable_bytes{program="(other)"} ${4056 * KIB}`,
    ]);
  });

  test('--rollup-max-rss 20M: node (RSS 40336 kB) from its status, counted and marked; python (10172 kB) from smaps_rollup', () => {
    const ceiling = runCli(['export', '--proc-root', TREE, '--rollup-max-rss', '20M']);
    expect([ceiling.status, ceiling.stderr]).toEqual([0, '']);
    // grep -E '^(RssAnon|RssFile|RssShmem):' snapshots/node-many-mappings/proc/11163/status: 6328, 34008, 0 kB.
    expect(lines(ceiling.stdout, 'footprint_writable_bytes')[0]).toBe(`footprint_writable_bytes{program="node"} ${6328 * KIB}`);
    expect(lines(ceiling.stdout, 'footprint_ram_bytes')).toEqual([
      `footprint_ram_bytes{program="node"} ${(6328 + 34008) * KIB}`, `footprint_ram_bytes{program="python3.11 shm_kinds.py"} ${8274 * KIB}`,
    ]);
    expect(lines(ceiling.stdout, 'footprint_estimated_processes')).toEqual(['footprint_estimated_processes{program="node"} 1']);
    expect(lines(ceiling.stdout, 'footprint_scan_processes').slice(0, 2)).toEqual([
      'footprint_scan_processes{outcome="measured"} 1', 'footprint_scan_processes{outcome="estimated"} 1',
    ]);
    expect(runCli(['export', '--proc-root', TREE, '--rollup-max-rss', '2x'])).toMatchObject({
      status: 2, stdout: '', stderr: 'footprint: --rollup-max-rss: "2x" is not a size (examples: 100MiB, 2GiB, 512KiB)\n',
    });
  });

  test('--group user labels by user; --group cmdline is not offered', () => {
    expect(lines(runCli(['export', '--proc-root', TREE, '--group', 'user']).stdout, 'footprint_processes')).toEqual(['footprint_processes{user="root"} 2']);
    expect(runCli(['export', '--group', 'cmdline'])).toMatchObject({ status: 2 });
  });

  test('promtool check metrics finds nothing to say, on the captured tree and on this machine', () => {
    for (const text of [result.stdout, runCli(['export']).stdout]) {
      const check = spawnSync(PROMTOOL, ['check', 'metrics'], { input: text, encoding: 'utf8' });
      expect([check.status, check.stdout, check.stderr]).toEqual([0, '', '']);
    }
  });
});

describe('footprint export --textfile', () => {
  test('writes the file atomically, leaving no temporary file; an unwritable place is one line, exit 1', () => {
    const file = join(dir, 'atomic', 'footprint.prom');
    expect(runCli(['export', '--textfile', file])).toMatchObject({ status: 1, stdout: '', stderr: `footprint: cannot write ${file}: no such file or directory (ENOENT)\n` });
    const target = join(dir, 'footprint.prom');
    expect(runCli(['export', '--textfile', target])).toEqual({ status: 0, stdout: '', stderr: '' });
    expect(readFileSync(target, 'utf8')).toMatch(/^# HELP footprint_writable_bytes /);
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  test("a real node_exporter's textfile collector serves the families, without a scrape error", async () => {
    const textDir = mkdtempSync(join(dir, 'textfile-'));
    expect(runCli(['export', '--textfile', join(textDir, 'footprint.prom')]).status).toBe(0);
    const port = await freePort();
    const exporter = spawn(NODE_EXPORTER, [
      `--web.listen-address=127.0.0.1:${port}`, '--collector.disable-defaults', '--collector.textfile', `--collector.textfile.directory=${textDir}`,
    ], { stdio: 'ignore' });
    started.push(exporter);
    let body = '';
    for (const deadline = Date.now() + 20_000; Date.now() < deadline && body === '';) {
      try {
        const response = await fetch(`http://127.0.0.1:${port}/metrics`);
        if (response.ok) body = await response.text();
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    expect(body).toContain('node_textfile_scrape_error 0');
    expect(body).toMatch(/^footprint_writable_bytes\{program="[^"]+"\} \d+$/m);
    expect(body).toMatch(/^footprint_build_info\{version="0\.1\.0"\} 1$/m);
    expect(body).toMatch(/^node_textfile_mtime_seconds\{file=".*footprint\.prom"\} /m);
  });
});
