import type { WatchEnd } from '../reduce/watchSeries.js';

/**
 * Milliseconds since a start, the time of every sample of run and watch:
 * hrtime, which only moves forward (a wall clock set back mid-run would give
 * gaps below zero), and not performance.now(), whose global loads perf_hooks.
 */
export class SampleClock {
  private started = process.hrtime.bigint();

  get ms(): number {
    return Number(process.hrtime.bigint() - this.started) / 1e6;
  }

  /** Counts from now (run: from CMD's spawn, not from footprint's setting up). */
  restart(): void {
    this.started = process.hrtime.bigint();
  }
}

/**
 * A sample every `intervalMs` until --duration, --count or stop() ends it (watch).
 * run's sampling paces itself (src/run/samplingLoop.ts): its intervals adapt to
 * what each sample costs and to the memory the probe sees, so it shares only
 * the SampleClock, not this pacing.
 */
export class IntervalClock extends SampleClock {
  endedBy: WatchEnd | undefined;
  private wake: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly intervalMs: number, private readonly durationMs?: number, private readonly count?: number) {
    super();
  }

  stop(why: WatchEnd): void {
    this.endedBy ??= why;
    clearTimeout(this.timer);
    this.wake?.();
  }

  /** After sample number `taken`: waits for the next one, or says why the watch is over. */
  async next(taken: number): Promise<boolean> {
    if (this.count !== undefined && taken >= this.count) this.stop('count');
    if (this.durationMs !== undefined && this.ms >= this.durationMs) this.stop('duration');
    if (this.endedBy !== undefined) return false;
    const delay = this.durationMs === undefined ? this.intervalMs : Math.min(this.intervalMs, this.durationMs - this.ms);
    await new Promise<void>((resolve) => {
      this.wake = resolve;
      this.timer = setTimeout(resolve, Math.max(0, delay));
    });
    this.wake = undefined;
    // Past --duration still takes this one last sample: the next call ends the watch.
    return this.endedBy === undefined;
  }

  release(): void {
    clearTimeout(this.timer);
  }
}
