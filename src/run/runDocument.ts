import { RUN_SCHEMA, type RunDocument } from '../model/run.js';
import { TOOL_NAME } from '../version.js';
import type { RunRecord } from './runCommand.js';

/** The footprint.run/1 document of a finished run: bytes as integers, times in whole ms. */
export function buildRunDocument(record: RunRecord): RunDocument {
  const peak = record.timeline.peak();
  return {
    schema: RUN_SCHEMA,
    tool: TOOL_NAME,
    command: record.command,
    exitCode: record.exitCode,
    signal: record.signal,
    wallMs: Math.round(record.wallMs),
    userMs: record.userMs,
    sysMs: record.sysMs,
    peak: {
      writable: peak?.writable ?? 0, ram: record.peakRam, rss: record.peakRss, ms: peak?.ms ?? 0, processes: peak?.processes ?? 0,
    },
    end: { writable: record.end?.writable ?? 0, ram: record.end?.ram ?? 0 },
    faults: record.faults,
    processesSeen: record.processesSeen,
    intervalMs: record.intervalMs,
    samples: record.timeline.samples().map(({ ms, writable, private: priv, shared, ram, swap, processes }) => ({
      ms, writable, private: priv, shared, ram, swap, processes,
    })),
    marks: record.marks,
    ...(record.peakMappings === undefined ? {} : { peakMappings: record.peakMappings }),
    ...(record.sampling === undefined ? {} : { sampling: record.sampling }),
    ...(record.kernel === undefined ? {} : { kernel: record.kernel }),
    ...(record.followed === undefined ? {} : { followed: record.followed }),
    ...(record.noCgroup === undefined ? {} : { noCgroup: record.noCgroup }),
    ...(record.deniedSamples === undefined ? {} : { deniedSamples: record.deniedSamples }),
  };
}
