import { describe, expect, it } from '@jest/globals';
import { descendantsOf, type ProcessLink } from '../../src/sample/processTree.js';
import { lastPidOf } from '../../src/sample/treeSampler.js';

const link = (pid: number, ppid: number, startTime: number): ProcessLink => ({ pid, ppid, startTime });

describe('descendantsOf', () => {
  const machine = [
    link(1, 0, 1), link(50, 1, 10),
    link(100, 50, 100), // the root
    link(101, 100, 110), link(102, 100, 120), link(103, 101, 130), link(104, 103, 140),
    link(200, 1, 90), link(201, 200, 95),
  ];

  it('the root, then its children and theirs, breadth first', () => {
    expect(descendantsOf({ pid: 100, startTime: 100 }, machine)).toEqual([100, 101, 102, 103, 104]);
  });

  it('a root whose PID now holds another process (another start time): no tree', () => {
    expect(descendantsOf({ pid: 100, startTime: 99 }, machine)).toEqual([]);
    expect(descendantsOf({ pid: 999, startTime: 1 }, machine)).toEqual([]);
  });

  it('a process older than the one now holding its parent PID was the child of an earlier process', () => {
    expect(descendantsOf({ pid: 100, startTime: 100 }, [...machine, link(300, 102, 105)])).toEqual([100, 101, 102, 103, 104]);
  });

  it('an orphan reparented to init has left the tree', () => {
    const orphaned = machine.map((each) => (each.pid === 103 ? link(103, 1, 130) : each));
    expect(descendantsOf({ pid: 100, startTime: 100 }, orphaned)).toEqual([100, 101, 102]);
  });

  it('a cycle of bad links cannot loop', () => {
    expect(descendantsOf({ pid: 5, startTime: 1 }, [link(5, 6, 1), link(6, 5, 1)])).toEqual([5, 6]);
  });
});

describe('lastPidOf (/proc/loadavg)', () => {
  it('the last field is the last PID given out', () => {
    expect(lastPidOf('0.09 0.19 0.30 1/382 2878\n')).toBe(2878);
    expect(lastPidOf('garbage')).toBeUndefined();
  });
});
