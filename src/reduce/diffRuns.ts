import type { RunDocument } from '../model/run.js';

export interface Change {
  old: number;
  new: number;
  change: number;
}

/** Two runs of a program, before and after: what the footprint.rundiff/1 document holds beside its files. */
export interface RunDiff {
  peakWritable: Change;
  endWritable: Change;
  minorFaults: Change;
  majorFaults: Change;
  wallMs: Change;
}

const change = (older: number, newer: number): Change => ({ old: older, new: newer, change: newer - older });

export function diffRuns(older: RunDocument, newer: RunDocument): RunDiff {
  return {
    peakWritable: change(older.peak.writable, newer.peak.writable),
    endWritable: change(older.end.writable, newer.end.writable),
    minorFaults: change(older.faults.minor, newer.faults.minor),
    majorFaults: change(older.faults.major, newer.faults.major),
    wallMs: change(older.wallMs, newer.wallMs),
  };
}
