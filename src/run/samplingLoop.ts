import type { PeakMappings, RunMark, RunSampling } from '../model/run.js';
import type { ProcReader } from '../kernel/procReader.js';
import type { SampleClock } from '../sample/sampleClock.js';
import { Timeline } from '../sample/timeline.js';
import type { TreeSample, TreeSampler } from '../sample/treeSampler.js';
import { GapTally } from './gapTally.js';
import { PeakMappingsPlan, readPeakMappings } from './peakMappings.js';
import type { RunStatsTally } from './runStats.js';

/** The first interval: fine enough to see start-up. It doubles each time the timeline thins, up to MAX. */
export const DEFAULT_INTERVAL_MS = 20;
const MAX_ADAPTIVE_INTERVAL_MS = 1000;
/** Without --interval, the regular full samples take at most this share of one core (the probe's is apart). */
const MAX_CPU_SHARE = 0.015;
/**
 * The probe looks at the tree this often (statm of each member: a few µs each, no page-table
 * walk), stretched only as far as keeps it under MAX_PROBE_SHARE of one core on a large tree.
 */
export const PROBE_MS = 5;
const MAX_PROBE_SHARE = 0.01;
/** Above this share of one core (all of footprint's CPU, each second) the probe of a steady tree slows, up to MAX_STEADY_STRETCH times; below LOW it speeds up again. */
const SELF_CPU_HIGH = 0.04;
const SELF_CPU_LOW = 0.03;
const MAX_STEADY_STRETCH = 4;
/** Full samples at most this far apart get one probe halfway between them, not one every PROBE_MS. */
const PROBE_HALFWAY_MS = 40;
/** A probe sees a new high when the tree's RSS passes the highest sampled by this factor and step: then a full sample is taken at once. */
const HIGH_FACTOR = 1.02;
const HIGH_STEP = 256 * 1024;
/**
 * A climb that stopped above the highest sampled by less than a new high's step (its last sample came
 * near the top) still has its top sampled, once it is this far above, within CHANGE_CPU_SHARE: the run's
 * peak is that top, and on a busy machine the next regular sample can come after the memory is freed.
 */
const TOP_STEP = 64 * 1024;
/**
 * A new member, or RSS that moved by HIGH_FACTOR and HIGH_STEP from the last full sample's (down too: the
 * timeline and the end must not keep a freed spike), is sampled at once, unless full samples would
 * then take more than this share of one core (a build that forks all the time, a sawtooth).
 */
const CHANGE_CPU_SHARE = 0.2;
/** New PIDs are looked for (a listing of /proc, stat of each new PID) at most this often, and within this share of one core. */
const NEW_MEMBER_MS = 100;
const NEW_MEMBER_SHARE = 0.005;

export interface SamplingOptions {
  /** A fixed interval; undefined: DEFAULT_INTERVAL_MS, coarsening on long runs. */
  intervalMs?: number;
  timelineCapacity?: number;
  /** At the peak, read smaps of the process holding the most writable memory (PeakMappingsPlan says when). */
  mappings?: boolean;
  /** The bench's tally of what each sample and probe cost (FOOTPRINT_RUN_STATS). */
  stats?: RunStatsTally;
}

const milliseconds = (since: bigint): number => Number(process.hrtime.bigint() - since) / 1e6;
/**
 * The CPU time footprint used since `since` (process.cpuUsage()), in ms: what a sample, a probe or a read
 * cost, by which the spacing keeps within its share of a core. Not the wall time: on a busy machine that
 * includes the wait for a core, and stretched full samples seconds apart, past a peak held a second.
 */
const cpuMilliseconds = (since: NodeJS.CpuUsage): number => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};

/**
 * run's adaptive sampling of CMD's tree, on a timer of its own. Between full
 * samples a probe reads each member's statm every PROBE_MS, and a new high it
 * sees is sampled at once: a spike is caught even when full samples are far
 * apart (on a large tree, each costs milliseconds). Without --interval the
 * interval doubles as the timeline thins, and stretches so that full samples,
 * probes and footprint's own CPU stay within their shares of one core.
 */
export class SamplingLoop {
  readonly timeline: Timeline;
  /** The interval now: options.intervalMs, or the adaptive one. */
  intervalMs: number;
  /** The last sample, and the last that measured a process of the tree. */
  last: TreeSample | undefined;
  end: TreeSample | undefined;
  peakRam = 0;
  peakRss = 0;
  sampleCount = 0;
  deniedSamples = 0;
  /** The longest wait between two samples, for the summary. */
  slowest = 0;
  peakMappings: PeakMappings | undefined;
  probes = 0;
  readonly triggered = { high: 0, change: 0, newMember: 0, mark: 0 };

  private sampler: TreeSampler | undefined;
  private timer: NodeJS.Timeout | undefined;
  private peakWritable = 0;
  private readonly gaps = new GapTally();
  private readonly probeGaps = new GapTally();
  /** The highest RSS a full sample saw: a probe above it (by HIGH_FACTOR) is a new high. */
  private sampledHigh = 0;
  /**
   * The highest the probe read at a full sample: statm's counters are the kernel's per-CPU estimates,
   * off from a sample's RSS by up to a few hundred KiB, so a small rise is judged on the probe's own figure.
   */
  private probedHigh = 0;
  private lastSampledRss = 0;
  private lastSampleAt = 0;
  private firstMeasured: number | undefined;
  private previousCostMs = Infinity;
  private steadyCostMs = 0;
  private waited: number;
  private previousProbeCostMs = Infinity;
  private probeEvery = PROBE_MS;
  private lookedAt = 0;
  private lastProbeResident = 0;
  private steadyStretch = 1;
  private lastHighAt = 0;
  private budgetCheckedAt: number;
  private budgetCpuUs: number;
  private lookCostMs = 0;
  private lastSampleCostMs = 0;
  private readonly mappingsPlan = new PeakMappingsPlan();

  constructor(private readonly reader: ProcReader, private readonly clock: SampleClock, private readonly options: SamplingOptions) {
    this.timeline = new Timeline(options.timelineCapacity);
    this.intervalMs = options.intervalMs ?? DEFAULT_INTERVAL_MS;
    this.waited = this.intervalMs;
    this.budgetCheckedAt = clock.ms;
    const cpuAtStart = process.cpuUsage();
    this.budgetCpuUs = cpuAtStart.user + cpuAtStart.system;
  }

  /** Takes the first sample (none without a sampler: CMD was already gone) and starts the timer. */
  start(sampler: TreeSampler | undefined): void {
    this.sampler = sampler;
    this.fullSample();
    this.timer = setTimeout(() => this.tick(), Math.min(this.probeEvery, this.waited));
  }

  stop(): void {
    clearTimeout(this.timer);
  }

  /** A mark is a moment worth a full sample of its own: the memory at that line. */
  markAt(ms: number, text: string, marks: readonly RunMark[]): RunMark {
    const sample = this.sampleNow();
    if (sample === undefined || sample.processes === 0) return { ms, text };
    this.triggered.mark++;
    const previous = [...marks].reverse().find((mark) => mark.writable !== undefined)?.writable ?? this.firstMeasured ?? 0;
    return { ms, text, writable: sample.writable, ram: sample.ram, change: sample.writable - previous };
  }

  /** The measured spacing of a run that lasted `wallMs`. */
  sampling(wallMs: number): RunSampling {
    return {
      samples: this.sampleCount, longestGapMs: this.gaps.longest, medianGapMs: this.gaps.median(),
      probes: this.probes, probesPerSecond: Math.round(wallMs) > 0 ? Math.round((this.probes / Math.round(wallMs)) * 1000) : 0,
      probeLongestGapMs: this.probeGaps.longest, triggered: this.triggered,
    };
  }

  /** The longest interval used: larger than the first after a long run coarsened it, or a large tree slowed it. */
  get finalIntervalMs(): number {
    return Math.max(this.intervalMs, Math.round(this.slowest));
  }

  /** `atTop`: the probe saw a climb stop, so this sample is at its top. */
  private sampleNow(atTop = false): TreeSample | undefined {
    if (this.sampler === undefined) return undefined;
    const { stats } = this.options;
    const sampleStarted = stats === undefined ? 0n : process.hrtime.bigint();
    const ms = Math.round(this.clock.ms);
    const sample = this.sampler.sample(ms);
    this.probedHigh = Math.max(this.probedHigh, this.sampler.probe().resident);
    stats?.addSample(milliseconds(sampleStarted));
    this.sampleCount++;
    this.gaps.add(ms);
    this.lastSampleAt = this.clock.ms;
    this.last = sample;
    if (sample.processes > 0) {
      this.end = sample;
      this.firstMeasured ??= sample.writable;
    } else if (sample.denied > 0) this.deniedSamples++;
    this.peakRam = Math.max(this.peakRam, sample.ram);
    this.peakRss = Math.max(this.peakRss, sample.rss);
    this.sampledHigh = Math.max(this.sampledHigh, sample.rss);
    this.lastSampledRss = sample.rss;
    this.peakWritable = Math.max(this.peakWritable, sample.writable);
    if (this.options.mappings === true) this.followPeakMappings(sample, atTop);
    const { members: _members, denied: _denied, ...figures } = sample;
    if (this.timeline.add(figures) && this.options.intervalMs === undefined) this.intervalMs = Math.min(MAX_ADAPTIVE_INTERVAL_MS, this.intervalMs * 2);
    return sample;
  }

  /** smaps of the largest process, read with the sample that holds the run's peak (when the plan allows it). */
  private followPeakMappings(sample: TreeSample, atTop: boolean): void {
    if (sample.writable < this.peakWritable) {
      this.mappingsPlan.leftPeak();
      return;
    }
    const now = this.clock.ms;
    if (!this.mappingsPlan.due(sample, this.peakMappings, now, atTop)) return;
    const readStarted = process.cpuUsage();
    const read = readPeakMappings(this.reader, sample);
    this.mappingsPlan.read(now, cpuMilliseconds(readStarted));
    if (read !== undefined) this.peakMappings = read;
  }

  private fullSample(atTop = false): void {
    const sampleStarted = process.cpuUsage();
    this.sampleNow(atTop);
    // Without --interval, regular samples wait long enough for footprint to stay under 1.5% of one
    // core: a large tree is sampled fully less often (the probe goes on at its own rate). The cost is
    // the lesser of the last two samples', and the first samples (code not yet compiled) keep the
    // interval, so that one slow sample does not blur the start.
    const costMs = cpuMilliseconds(sampleStarted);
    this.lastSampleCostMs = costMs;
    this.steadyCostMs = this.sampleCount <= 3 ? 0 : Math.min(costMs, this.previousCostMs);
    this.previousCostMs = costMs;
    this.waited = this.options.intervalMs === undefined ? Math.max(this.intervalMs, this.steadyCostMs / MAX_CPU_SHARE) : this.intervalMs;
  }

  private tick(): void {
    const now = this.clock.ms;
    // What a probe costs is more than its reads (the timer, the event loop's turn): footprint's own
    // CPU, measured each second, stretches the probe on a steady tree while over SELF_CPU_HIGH.
    if (now - this.budgetCheckedAt >= 1000) {
      const cpu = process.cpuUsage();
      const share = (cpu.user + cpu.system - this.budgetCpuUs) / 1000 / (now - this.budgetCheckedAt);
      if (share > SELF_CPU_HIGH && now - this.lastHighAt >= 1000) this.steadyStretch = Math.min(MAX_STEADY_STRETCH, this.steadyStretch * 1.5);
      else if (share < SELF_CPU_LOW) this.steadyStretch = Math.max(1, this.steadyStretch / 1.5);
      this.budgetCheckedAt = now;
      this.budgetCpuUs = cpu.user + cpu.system;
    }
    let next = this.probeEvery;
    if (this.sampler !== undefined && now - this.lastSampleAt >= this.waited) {
      this.slowest = Math.max(this.slowest, now - this.lastSampleAt);
      this.fullSample();
    } else if (this.sampler !== undefined) {
      next = this.probe(this.sampler, now, next);
    }
    this.timer = setTimeout(() => this.tick(), Math.max(0, Math.min(next, this.waited - (this.clock.ms - this.lastSampleAt))));
  }

  /** A probe between full samples, and the full sample it calls for; returns the wait before the next tick. */
  private probe(sampler: TreeSampler, now: number, next: number): number {
    const probeStarted = process.hrtime.bigint();
    const probeCpuStarted = process.cpuUsage();
    const seen = sampler.probe();
    const probeCostMs = cpuMilliseconds(probeCpuStarted);
    this.options.stats?.addProbe(milliseconds(probeStarted));
    this.probes++;
    this.probeGaps.add(Math.round(now));
    // Where full samples come every few tens of ms anyway (a small tree), one probe between two
    // of them is enough; the probe's own pace (PROBE_MS) is for when they are far apart.
    this.probeEvery = this.steadyStretch
      * Math.max(this.waited <= PROBE_HALFWAY_MS ? this.waited / 2 : PROBE_MS, Math.min(probeCostMs, this.previousProbeCostMs) / MAX_PROBE_SHARE);
    this.previousProbeCostMs = probeCostMs;
    const mayChange = now - this.lastSampleAt >= Math.max(this.intervalMs, this.steadyCostMs / CHANGE_CPU_SHARE);
    let newMember = false;
    if (mayChange && now - this.lookedAt >= Math.max(NEW_MEMBER_MS, this.lookCostMs / NEW_MEMBER_SHARE)) {
      const lookStarted = process.cpuUsage();
      newMember = sampler.lookForNewMembers(Math.round(now));
      this.lookCostMs = cpuMilliseconds(lookStarted);
      this.lookedAt = now;
    }
    const high = seen.resident > this.sampledHigh * HIGH_FACTOR + HIGH_STEP;
    // A climb is sampled at most half the time (a sample, then as long again for CMD), so that
    // a fast climb on a large tree does not take a whole core; its top is sampled within one
    // probe interval plus one sample, at once where the probe sees it stop.
    const sinceSample = this.clock.ms - this.lastSampleAt;
    // Where the climb stopped (no growth since the last probe) is its top: sampled at once, unthrottled.
    const stopped = seen.resident <= this.lastProbeResident;
    const topped = high && stopped;
    this.lastProbeResident = seen.resident;
    if (high) {
      // Memory moves: the probe goes back to its own pace at once.
      this.steadyStretch = 1;
      this.lastHighAt = now;
    }
    if (high && (topped || sinceSample >= this.lastSampleCostMs)) {
      this.triggered.high++;
      this.fullSample(topped);
    } else if (high) {
      next = this.lastSampleCostMs - sinceSample;
    } else if (stopped && (this.mappingsPlan.behind || (seen.resident > this.probedHigh + TOP_STEP && sinceSample >= this.steadyCostMs / CHANGE_CPU_SHARE))) {
      // The climb has stopped above what was sampled, or its last sample held a new peak whose smaps
      // waited: this is its top, sampled (and its smaps read) now, before the process can free what it climbed to.
      this.triggered.high++;
      this.fullSample(true);
    } else if (mayChange) {
      const moved = Math.abs(seen.resident - this.lastSampledRss) > this.lastSampledRss * (HIGH_FACTOR - 1) + HIGH_STEP;
      if (newMember || moved) {
        if (newMember) this.triggered.newMember++;
        else this.triggered.change++;
        this.fullSample();
      }
    }
    // While memory climbs, the next probe comes sooner: the top of a climb is the peak, and it may last only milliseconds.
    if (high) next = Math.min(next, 1);
    return next;
  }
}
