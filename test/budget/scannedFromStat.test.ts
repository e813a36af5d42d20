import { describe, expect, it } from '@jest/globals';
import { scannedFromStat } from '../../src/budget/scannedFromStat.js';
import { parseStat } from '../../src/kernel/procfs/stat.js';
import { snapshotText } from '../helpers/snapshots.js';

describe('scannedFromStat', () => {
  it("takes a captured process's PID, start time, comm and RSS (pages × page size) from its stat alone", () => {
    const stat = parseStat(snapshotText('node-many-mappings', '11163/stat'));
    if (!stat.ok) throw new Error('unparsable');
    // Field 22 is 88947, field 24 is 10070 pages (of 4 KiB: 40280 kB, beside status's VmRSS of 40336 kB read a moment apart).
    expect(scannedFromStat(stat.value, 4096)).toEqual({ pid: 11163, startTime: 88947, name: 'node', residentBytes: 10070 * 4096 });
  });
});
