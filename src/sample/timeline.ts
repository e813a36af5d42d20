import type { MemoryFigures } from '../model/memoryFigures.js';
import type { RunSample } from '../model/run.js';

/** The figures of one sample of a set of processes, summed; bytes, `ms` since the start: a run document's sample, and RSS. */
export interface TimelineSample extends RunSample {
  rss: number;
}

/** A sample of no process yet, at `ms`. */
export function emptySample(ms: number): TimelineSample {
  return { ms, writable: 0, private: 0, shared: 0, ram: 0, swap: 0, rss: 0, processes: 0 };
}

/** Adds one measured process's figures to a sample of several. */
export function addProcess(sample: TimelineSample, figures: MemoryFigures): void {
  sample.writable += figures.writable;
  sample.private += figures.private;
  sample.shared += figures.shared;
  sample.ram += figures.ram;
  sample.swap += figures.swap;
  sample.rss += figures.rss;
  sample.processes++;
}

/**
 * Samples kept for a chart, in bounded memory: when `capacity` is reached, each
 * pair of neighbours becomes the one with more writable memory, so the timeline
 * halves in resolution but keeps every peak's sample. `coarsened` says how many
 * times that happened (a sampler doubles its interval with it, so a long run
 * costs as little per minute as it keeps). The peak of all samples is kept apart.
 */
export class Timeline {
  private kept: TimelineSample[] = [];
  private top: TimelineSample | undefined;
  private last: TimelineSample | undefined;
  coarsened = 0;

  constructor(private readonly capacity = 1024) {
    if (capacity < 2) throw new RangeError('a timeline keeps at least 2 samples');
  }

  /** Adds a sample; returns true when the timeline halved to make room. */
  add(sample: TimelineSample): boolean {
    this.last = sample;
    if (this.top === undefined || sample.writable > this.top.writable) this.top = sample;
    this.kept.push(sample);
    if (this.kept.length < this.capacity) return false;
    const thinned: TimelineSample[] = [];
    for (let index = 0; index < this.kept.length; index += 2) {
      const a = this.kept[index];
      const b = this.kept[index + 1];
      thinned.push(b === undefined || a.writable >= b.writable ? a : b);
    }
    this.kept = thinned;
    this.coarsened++;
    return true;
  }

  samples(): readonly TimelineSample[] {
    return this.kept;
  }

  /** The sample with the most writable memory (the first such), of all samples ever added. */
  peak(): TimelineSample | undefined {
    return this.top;
  }

  latest(): TimelineSample | undefined {
    return this.last;
  }
}
