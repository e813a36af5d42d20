import { describe, expect, it } from '@jest/globals';
import { renderCoverageLine } from '../../src/render/reportFooter.js';
import type { ReportView } from '../../src/reduce/buildReport.js';
import { procRoot, runJson } from '../helpers/snapshots.js';

/** The node-many-mappings report (2 processes measured), its scan changed as each case says. */
function viewWith(scan: Record<string, unknown>): ReportView {
  const report = runJson(['--proc-root', procRoot('node-many-mappings')]);
  return { report: { ...report, scan: { ...report.scan, ms: 7, ...scan } }, deniedOtherUsers: 0, overRollupCeiling: 0 } as ReportView;
}

describe('renderCoverageLine: malformed and hidden', () => {
  it('malformed processes are a reason of their own', () => {
    expect(renderCoverageLine(viewWith({ seen: 3, malformed: 1 }))).toBe(
      'Left out: 1 process malformed (files that are not what the kernel writes). 0 kernel threads and 0 zombies hold no user memory; 2 of 3 processes measured in 7 ms.',
    );
  });

  it('a report made before `malformed` (none in its scan) says nothing of it', () => {
    const view = viewWith({});
    delete (view.report.scan as { malformed?: number }).malformed;
    expect(renderCoverageLine(view)).toBe('Nothing left out. 0 kernel threads and 0 zombies hold no user memory; 2 of 2 processes measured in 7 ms.');
  });

  it('hidden, counted: up to that many processes (tasks are threads)', () => {
    expect(renderCoverageLine(viewWith({ hidden: { by: 'hidepid=invisible', tasks: 561 } }))).toBe(
      'Left out: up to 561 processes footprint cannot see (this /proc is mounted hidepid=invisible: 561 tasks the kernel counts, threads included, beyond the threads of the processes listed). 0 kernel threads and 0 zombies hold no user memory; 2 of 2 processes measured in 7 ms.',
    );
  });

  it('hidden, with no task count to compare: an unknown number', () => {
    expect(renderCoverageLine(viewWith({ hidden: { by: 'hidepid=2' } }))).toBe(
      'Left out: an unknown number of other users\' processes this /proc hides (this /proc is mounted hidepid=2; no /proc/loadavg to count them). 0 kernel threads and 0 zombies hold no user memory; 2 of 2 processes measured in 7 ms.',
    );
  });
});
