import { describe, expect, it } from '@jest/globals';
import { environHolds, pageSizeOf, residentPagesOf, vmHwmOf } from '../../src/sample/memoryProbe.js';
import { descendantsOfAll, type ProcessLink } from '../../src/sample/processTree.js';

// Captured on this machine from one process (`cat /proc/self/statm /proc/self/status`): its statm, and the status lines that matter here.
const STATM = '765 437 408 5 0 123 0\n';
const STATUS = 'Name:\tcat\nUmask:\t0022\nState:\tR (running)\nVmHWM:\t    1748 kB\nVmRSS:\t    1748 kB\nRssAnon:\t     116 kB\n';

describe('the probe between full samples', () => {
  it("statm's second field is the resident pages", () => {
    expect(residentPagesOf(STATM)).toBe(437);
    expect([residentPagesOf(''), residentPagesOf('12'), residentPagesOf('12 x 3')]).toEqual([undefined, undefined, undefined]);
  });

  it("VmHWM is the kernel's peak RSS, in bytes; a zombie's status has none", () => {
    expect(vmHwmOf(STATUS)).toBe(1748 * 1024);
    expect(vmHwmOf('Name:\tzombie\nState:\tZ (zombie)\nThreads:\t1\n')).toBeUndefined();
  });

  it('the page size is VmRSS over resident pages (1748 kB / 437 = 4 KiB), 4096 when unreadable', () => {
    expect(pageSizeOf(STATM, STATUS)).toBe(4096);
    // A page or two that changed between the two reads does not move it.
    expect(pageSizeOf('765 435 408 5 0 123 0\n', STATUS)).toBe(4096);
    expect(pageSizeOf('100 16 0 0 0 0 0', 'VmRSS:\t1024 kB\n')).toBe(65536);
    expect(pageSizeOf(undefined, STATUS)).toBe(4096);
  });

  it('the marker is a whole entry of the environment, not part of one', () => {
    expect(environHolds('PATH=/bin\0FOOTPRINT_RUN=12-ab\0HOME=/\0', 'FOOTPRINT_RUN=12-ab')).toBe(true);
    expect(environHolds('FOOTPRINT_RUN=12-ab\0', 'FOOTPRINT_RUN=12-ab')).toBe(true);
    expect(environHolds('FOOTPRINT_RUN=12-abc\0', 'FOOTPRINT_RUN=12-ab')).toBe(false);
    expect(environHolds('X=FOOTPRINT_RUN=12-ab\0', 'FOOTPRINT_RUN=12-ab')).toBe(false);
    expect(environHolds('', 'FOOTPRINT_RUN=12-ab')).toBe(false);
  });
});

describe('descendantsOfAll: the tree and the trees of followed processes', () => {
  const link = (pid: number, ppid: number, startTime: number): ProcessLink => ({ pid, ppid, startTime });
  const machine = [link(1, 0, 1), link(100, 50, 100), link(101, 100, 110), link(300, 1, 120), link(301, 300, 130), link(400, 1, 90)];

  it('each root with its descendants, each PID once, the first root first', () => {
    expect(descendantsOfAll([{ pid: 100, startTime: 100 }, { pid: 300, startTime: 120 }], machine)).toEqual([100, 101, 300, 301]);
    // A followed process that is in the tree already adds nothing twice.
    expect(descendantsOfAll([{ pid: 100, startTime: 100 }, { pid: 101, startTime: 110 }], machine)).toEqual([100, 101]);
    // One whose PID now holds another process adds nothing.
    expect(descendantsOfAll([{ pid: 100, startTime: 100 }, { pid: 300, startTime: 119 }], machine)).toEqual([100, 101]);
  });
});
