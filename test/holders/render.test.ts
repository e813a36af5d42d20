import { describe, expect, it } from '@jest/globals';
import { renderFilesCsv } from '../../src/holders/filesCsv.js';
import { renderFilesJson } from '../../src/holders/filesJson.js';
import { renderFilesText } from '../../src/holders/filesText.js';
import type { FileRow } from '../../src/holders/fileUsage.js';
import { selectFileRows } from '../../src/holders/selectFiles.js';
import { selectShmemRows } from '../../src/holders/selectShmem.js';
import { renderShmemCsv } from '../../src/holders/shmemCsv.js';
import { renderShmemJson } from '../../src/holders/shmemJson.js';
import { renderShmemText } from '../../src/holders/shmemText.js';
import { attribution } from './shmemExample.js';

const KIB = 1024;
const MIB = 1024 * KIB;
const LONG = `/opt/${'very-long-directory-name/'.repeat(6)}libhuge.so.1`;
const HOSTILE = '/tmp/evil\n\x1b[2Jname';

function row(path: string, writable: number, extra: Partial<FileRow> = {}): FileRow {
  return { path, kind: 'file', deleted: false, processes: 2, mappings: 5, writable, private: writable + 4 * KIB, shared: 8 * KIB, pss: writable + 12 * KIB, rss: writable + 64 * KIB, swap: 0, ...extra };
}

const ROWS: FileRow[] = [
  row('[anonymous]', 90 * MIB, { kind: 'anonymous', processes: 6, mappings: 40 }),
  row(LONG, 2 * MIB),
  row(HOSTILE, 1 * MIB, { deleted: true, processes: 1 }),
  row('/usr/lib/x86_64-linux-gnu/libc.so.6', 96 * KIB, { processes: 4 }),
  row('=cmd|calc', 4 * KIB, { processes: 1 }),
];
const USAGE = { rows: ROWS, processes: 6 };
const COVERAGE = { read: 6, skipped: [{ reason: 'denied', count: 118 }, { reason: 'gone', count: 2 }] };
const BY_FILE = { byProgram: false, byPermission: false };

describe('files: text', () => {
  it('fits 80 columns: the long path shortened in its middle, the deleted mark kept, hostile bytes escaped', () => {
    const text = renderFilesText(selectFileRows(USAGE), BY_FILE, COVERAGE, { width: 80, fancy: false, units: 'auto' });
    const lines = text.trimEnd().split('\n');
    for (const line of lines) expect([...line].length).toBeLessThanOrEqual(80);
    expect(lines[0]).toBe('Writable    Private    Shared        PSS        RSS  Procs  File');
    expect(lines[1]).toBe('90.0 MiB   90.0 MiB   8.0 KiB   90.0 MiB   90.1 MiB      6  [anonymous]');
    expect(lines[2]).toBe(' 2.0 MiB    2.0 MiB   8.0 KiB    2.0 MiB    2.1 MiB      2  /opt/very-…huge.so.1');
    expect(lines[3]).toBe(' 1.0 MiB    1.0 MiB   8.0 KiB    1.0 MiB    1.1 MiB      1  /tmp/…name (deleted)');
    expect(renderFilesText(selectFileRows(USAGE), BY_FILE, COVERAGE, { fancy: false, units: 'auto' })).toContain('  /tmp/evil\\n\\e[2Jname (deleted)\n');
    expect(text).not.toContain('\x1b');
    expect(lines.at(-3)).toMatch(/ 6 {2}total$/);
    expect(lines.slice(-2).join('\n')).toBe('Read 6 processes; left out 120 (denied 118, gone 2): other users\' processes need\n  root (or CAP_SYS_PTRACE).');
  });

  it('in a pipe the names are whole; -n leaves a line of what it left out, still in the total', () => {
    const text = renderFilesText(selectFileRows(USAGE, { limit: 2 }), BY_FILE, { read: 6, skipped: [] }, { fancy: false, units: 'auto' });
    expect(text).toContain(LONG);
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(1 + 2 + 1 + 2 + 1);
    expect(lines[4]).toMatch(/^ +1\.1 MiB .* 3 more rows$/);
    expect(lines[5]).toMatch(/^ *93\.1 MiB .* total$/);
    expect(lines[6]).toBe('Read 6 processes.');
  });

  it('by program and by permission: their columns before the file', () => {
    const rows = [row('/usr/lib/x86_64-linux-gnu/libc.so.6', 96 * KIB, { program: 'python3.11 app.py', permissions: 'rw-p' })];
    const text = renderFilesText(selectFileRows({ rows, processes: 4 }), { byProgram: true, byPermission: true }, { read: 4, skipped: [] }, { fancy: false, units: 'KiB' });
    expect(text.split('\n')[0]).toBe('Writable (KiB)  Private (KiB)  Shared (KiB)  PSS (KiB)  RSS (KiB)  Procs  Perms  Program            File');
    expect(text.split('\n')[1]).toMatch(/^ +96 +100 +8 +108 +160 +2  rw-p   python3\.11 app\.py  \/usr\/lib\/x86_64-linux-gnu\/libc\.so\.6$/);
  });
});

describe('files: CSV and JSON', () => {
  it('CSV: bytes as integers, a formula neutralised, a newline escaped', () => {
    const lines = renderFilesCsv(ROWS).trimEnd().split('\n');
    expect(lines[0]).toBe('path,kind,deleted,program,permissions,processes,mappings,writable,private,shared,pss,rss,swap');
    expect(lines[1]).toBe(`[anonymous],anonymous,false,,,6,40,${90 * MIB},${90 * MIB + 4 * KIB},${8 * KIB},${90 * MIB + 12 * KIB},${90 * MIB + 64 * KIB},0`);
    expect(lines[3].startsWith('/tmp/evil\\n\\e[2Jname,file,true,')).toBe(true);
    expect(lines[5].startsWith('"\'=cmd|calc",')).toBe(true);
    expect(lines).toHaveLength(6);
  });

  it('JSON: footprint.files/1, the rows as they are, the coverage by reason', () => {
    const document = JSON.parse(renderFilesJson(selectFileRows(USAGE, { limit: 1 }), BY_FILE, 'writable', COVERAGE));
    expect(document).toMatchObject({ schema: 'footprint.files/1', groupBy: 'file', byPermission: false, sort: 'writable', processes: { read: 6, skipped: { denied: 118, gone: 2 } } });
    expect(document.files).toEqual([ROWS[0]]);
    expect(document.rest.rows).toBe(4);
    expect(document.total.writable).toBe(ROWS.reduce((sum, entry) => sum + entry.writable, 0));
  });
});

describe('shmem: text', () => {
  it('fits 80 columns: each object with its holders, the orphan said, totals that add up, names escaped', () => {
    const text = renderShmemText(selectShmemRows(attribution()), { width: 80, fancy: false, units: 'auto' });
    const lines = text.trimEnd().split('\n');
    for (const line of lines) expect([...line].length).toBeLessThanOrEqual(80);
    expect(lines[0]).toBe('Kind          Size  Holders          Name');
    expect(lines[1]).toBe('tmpfs     64.0 MiB  200 shmemKinds   /dev/shm/fp posix');
    expect(lines[2]).toBe('SysV      48.0 MiB  300 shmemKinds   /SYSV00000000');
    expect(lines[3]).toBe('memfd     32.0 MiB  100 postgres +1  /memfd:cache\\nline');
    // Three processes were not read: the file nobody read holds may be held by one of them.
    expect(lines[4]).toMatch(/^tmpfs {6}8\.0 MiB {2}no holder read {3}\/dev\/shm\/x+…x+\\e\[2J$/);
    expect(lines[5]).toBe('unlinked  ≥4.0 MiB  400 app          /dev/shm/gone');
    expect(text).not.toContain('\x1b');
    expect(lines[6]).toBe('Shared memory (meminfo Shmem): 200.0 MiB');
    // In a pipe, the same lines unwrapped.
    const whole = renderShmemText(selectShmemRows(attribution()), { fancy: false, units: 'auto' });
    expect(whole).toContain('\n  tmpfs 72.0 MiB, unlinked 4.0 MiB, memfd 32.0 MiB, SysV 48.0 MiB, shared-anon 0 B\n');
    expect(whole).toContain('\n  no holder read: 8.0 MiB in 1 object: 3 processes not read may hold them\n');
    expect(whole).not.toContain('held by no process');
    // Every process read: it is an orphan.
    const everyoneRead = renderShmemText(selectShmemRows(attribution(0)), { fancy: false, units: 'auto' });
    expect(everyoneRead).toMatch(/\ntmpfs {6}8\.0 MiB {2}held by no process {2}\/dev\/shm\/x{120}\\e\[2J\n/);
    expect(everyoneRead).toContain('\n  held by no process: 8.0 MiB in 1 object\n');
    // 200 − (64 + 48 + 32 + 8 + 4) = 44 MiB: 4 unseen on /dev/shm (80 used − 76 in rows), 40 other.
    expect(whole).toContain('\n  not attributable: 44.0 MiB: unlinked files on /dev/shm whose holders were not read 4.0 MiB; other 40.0 MiB'
      + ' (GPU buffers, tmpfs of other mount namespaces, kernel users and 3 processes not read)\n');
    expect(whole.trimEnd().split('\n').at(-1)).toBe('  ≥ marks a size from the mappings of the holders read: a lower bound.');
  });

  it('-n and --match: the rows chosen, the totals still the machine\'s', () => {
    const view = selectShmemRows(attribution(), { limit: 1, pattern: { source: 'postgres|shm', test: (value) => /postgres|shm/.test(value) } });
    expect(view.rows.map((entry) => entry.name)).toEqual(['/dev/shm/fp posix']);
    expect(view.rest).toEqual({ rows: 4, bytes: (48 + 32 + 8 + 4) * MIB });
    expect(view.totals.shmem).toBe(200 * MIB);
    const text = renderShmemText(view, { fancy: false, units: 'auto' });
    expect(text).toContain('4 more objects: 92.0 MiB.');
  });
});

describe('shmem: CSV and JSON', () => {
  it('CSV: one line per object, PIDs and programs space-separated', () => {
    const lines = renderShmemCsv(attribution().rows).trimEnd().split('\n');
    expect(lines[0]).toBe('kind,name,mount,bytes,bytes_source,size,pids,programs,orphan,holders_unknown,uid,shmid,attached');
    expect(lines[3]).toBe(`memfd,/memfd:cache\\nline,,${32 * MIB},stat,${32 * MIB},100 101,postgres postgres,false,false,,,`);
    expect(lines[2]).toBe(`sysv,/SYSV00000000,,${48 * MIB},sysvipc,${48 * MIB},300,shmemKinds,false,false,0,3,1`);
    expect(lines[4]).toMatch(/^tmpfs,.*,,true,true,0,,$/);
  });

  it('JSON: footprint.shmem/1, rows with kind, name, bytes and pids, totals whose parts add up to Shmem', () => {
    const document = JSON.parse(renderShmemJson(selectShmemRows(attribution())));
    expect(document.schema).toBe('footprint.shmem/1');
    expect(document.rows[2]).toMatchObject({ kind: 'memfd', name: '/memfd:cache\nline', bytes: 32 * MIB, pids: [100, 101] });
    const { totals } = document;
    expect(totals.attributed + totals.notAttributable.bytes).toBe(totals.shmem);
    expect(totals.byKind).toEqual({ tmpfs: 72 * MIB, unlinked: 4 * MIB, memfd: 32 * MIB, sysv: 48 * MIB, 'shared-anonymous': 0 });
  });
});
