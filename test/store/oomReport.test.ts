import { describe, expect, test } from '@jest/globals';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { OomMark } from '../../src/model/oomMark.js';
import { writeReportAtomically } from '../../src/store/writeReport.js';
import { readReport } from '../../src/store/readReport.js';
import { listReports } from '../../src/store/listReports.js';
import { listReportDays } from '../../src/store/listReportDays.js';
import { parseReportName } from '../../src/store/reportName.js';
import { checkReport } from '../../src/store/validateReport.js';
import { MiB, group, report, runCli, tempDir } from '../helpers/storeFixtures.js';

const TIME = new Date(Date.now() - 60_000).toISOString();
const SECOND = Math.floor(Date.parse(TIME) / 1000) * 1000;
const stamp = (() => {
  const iso = new Date(SECOND).toISOString();
  return `${iso.slice(0, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
})();

const MARK: OomMark = {
  noticedAt: new Date(SECOND + 2500).toISOString(), machineKills: 1,
  kills: [{ cgroup: '/a/b', count: 1, victims: [{ pid: 300, name: 'worker', by: 'gone', group: 'worker', groupProcesses: 1 }] }],
};

describe('an OOM report in the store', () => {
  const dir = tempDir();
  const before = { ...report(TIME, [{ ...group('worker', 60 * MiB), pids: [300] }, group('web', 8 * MiB)]), oom: MARK };
  const oomPath = writeReportAtomically(dir, before, Date.parse(TIME), { oom: true });
  const savePath = writeReportAtomically(dir, report(TIME, [group('web', 9 * MiB)]), Date.parse(TIME));
  const secondOomPath = writeReportAtomically(dir, before, Date.parse(TIME), { oom: true });

  test('its own name, so a save of the same second keeps its own; a second OOM report of the second gets _2', () => {
    expect([oomPath, savePath, secondOomPath]).toEqual([`${stamp}-oom.json.gz`, `${stamp}.json.gz`, `${stamp}-oom_2.json.gz`].map((name) => join(dir, name)));
    expect(parseReportName(`${stamp}-oom.json.gz`)).toMatchObject({ timeMs: SECOND, sequence: 1, oom: true, gzip: true });
    expect(parseReportName(`${stamp}.json.gz`)).toMatchObject({ oom: false });
    expect(parseReportName(`${stamp}-OOM.json.gz`)).toBeUndefined();
    expect(parseReportName(`${stamp}_2-oom.json.gz`)).toBeUndefined();
  });

  test('read back with its mark; within its second it sorts before the save (it is the scan before), the same in both listings', () => {
    expect(readReport(oomPath).oom).toEqual(MARK);
    const order = [`${stamp}-oom.json.gz`, `${stamp}-oom_2.json.gz`, `${stamp}.json.gz`];
    expect(listReports(dir).map((each) => each.name)).toEqual(order);
    expect([...listReportDays(dir).values()].flat()).toEqual(order);
    expect(readdirSync(dir).filter((name) => name.startsWith('.'))).toEqual([]);
  });

  test('history counts it; diff takes it by name and as previous', () => {
    const history = runCli(['history', '--dir', dir, '--since', '1h', '--json']);
    expect(history.status).toBe(0);
    expect(JSON.parse(history.stdout)).toMatchObject({ reports: 3 });
    const diff = runCli(['diff', '--dir', dir, oomPath, 'latest', '--json']);
    expect(diff.status).toBe(0);
    const document = JSON.parse(diff.stdout);
    expect(document.old).toMatchObject({ file: oomPath, oom: MARK });
    expect(document.new.oom).toBeUndefined();
    // In text, the heading says which side is the scan before a kill, and of what.
    const text = runCli(['diff', '--dir', dir, oomPath, 'latest']);
    expect(text.stdout.split('\n')[0]).toBe(`${oomPath} (${TIME}, the scan before: OOM kill in /a/b: PID 300 (worker)) -> ${savePath} (${TIME})`);
    const previous = runCli(['diff', '--dir', dir, 'previous', 'latest', '--json']);
    expect(JSON.parse(previous.stdout).old).toMatchObject({ file: secondOomPath });
  });
});

describe('the oom field is checked like the rest of the document', () => {
  const base = report('2026-11-25T17:45:12Z', [group('a', MiB)]);
  test.each([
    [{ ...MARK, noticedAt: 'soon' }, 'oom: no valid "noticedAt"'],
    [{ ...MARK, kills: {} }, 'oom: no "kills" list'],
    [{ ...MARK, kills: [{ count: -1, victims: [] }] }, 'oom: kills[0]: "count" is not a whole number'],
    [{ ...MARK, kills: [{ count: 1, victims: [{ pid: 0, by: 'gone' }] }] }, 'oom: kills[0]: victims[0]: "pid" is not a PID'],
    [{ ...MARK, kills: [{ count: 1, victims: [{ pid: 5, by: 'guess' }] }] }, 'oom: kills[0]: victims[0]: "by" is neither "kernel" nor "gone"'],
    [{ ...MARK, kills: [{ count: 1, victims: [{ pid: 5, by: 'kernel', atKill: { anonRss: 1.5 } }] }] }, 'oom: kills[0]: victims[0]: "atKill.anonRss" is not a whole number'],
  ])('%j: %s', (oom, reason) => {
    expect(checkReport({ ...base, oom })).toEqual({ ok: false, reason });
  });

  test('a valid mark, and none at all, pass', () => {
    expect(checkReport({ ...base, oom: MARK }).ok).toBe(true);
    expect(checkReport(base).ok).toBe(true);
  });
});
