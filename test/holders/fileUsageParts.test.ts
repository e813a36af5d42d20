/**
 * FileUsageSum's parts, as a scan shared between two threads sends them: the
 * processes of captured trees (snapshots/) summed in two sums, one absorbing
 * the other's parts (through a structured clone, as a worker's message is),
 * give the rows of one sum over all of them, figure for figure.
 */
import { describe, expect, it } from '@jest/globals';
import { parseSmaps } from '../../src/kernel/procfs/smaps.js';
import { FileUsageSum, type FileGrouping } from '../../src/holders/fileUsage.js';
import { snapshotText, type SnapshotName } from '../helpers/snapshots.js';

const PROCESSES: { snapshot: SnapshotName; pid: number; program: string }[] = [
  { snapshot: 'hostile-names', pid: 11300, program: 'a' },
  { snapshot: 'hostile-names', pid: 11302, program: 'a' },
  { snapshot: 'hostile-names', pid: 11307, program: 'b' },
  { snapshot: 'deleted-exe', pid: 11192, program: 'b' },
  { snapshot: 'deleted-exe', pid: 11201, program: 'c' },
  { snapshot: 'node-many-mappings', pid: 11163, program: 'node' },
];

function mappingsOf(snapshot: SnapshotName, pid: number) {
  const parsed = parseSmaps(snapshotText(snapshot, `${pid}/smaps`));
  if (!parsed.ok) throw new Error(`${snapshot} ${pid}: ${parsed.error.reason}`);
  return parsed.value;
}

describe('FileUsageSum parts and absorb', () => {
  it.each<FileGrouping>([
    { byProgram: false, byPermission: false },
    { byProgram: true, byPermission: true },
  ])('two sums of disjoint processes, one absorbing the other, are one sum of them all (%o)', (grouping) => {
    const whole = new FileUsageSum(grouping);
    const halves = [new FileUsageSum(grouping), new FileUsageSum(grouping)];
    PROCESSES.forEach(({ snapshot, pid, program }, index) => {
      const mappings = mappingsOf(snapshot, pid);
      for (const sum of [whole, halves[index % 2]]) {
        sum.beginProcess({ pid, program });
        for (const mapping of mappings) sum.add(mapping);
      }
    });
    halves[0].absorb(structuredClone(halves[1].parts()));
    const expected = whole.result();
    expect(expected.processes).toBe(PROCESSES.length);
    expect(expected.rows.some((row) => row.processes > 1)).toBe(true);
    expect(halves[0].result()).toEqual(expected);
  });
});
