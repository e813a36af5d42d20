/** What the sampling itself cost, for bench/overTime.mjs (FOOTPRINT_RUN_STATS=1, read by the command). */
export interface RunStats {
  samples: number;
  sampleMsMedian: number;
  sampleMsMax: number;
  probes: number;
  probeMsMedian: number;
  /** footprint's own CPU (all threads) from CMD's spawn to its end. */
  selfCpuMs: number;
  wallMs: number;
  /** When CMD was spawned, from footprint's own start. */
  startupMs: number;
  finalIntervalMs: number;
}

/** Durations kept at most of each kind: the bench's runs are short, a long run's memory stays bounded. */
const MAX_KEPT = 100_000;

/** Made only when the bench asks: a run without it measures nothing of itself. */
export class RunStatsTally {
  private readonly sampleMs: number[] = [];
  private readonly probeMs: number[] = [];
  private readonly cpuAtSpawn = process.cpuUsage();
  private readonly spawnedAtMs = process.uptime() * 1000;

  addSample(ms: number): void {
    if (this.sampleMs.length < MAX_KEPT) this.sampleMs.push(ms);
  }

  addProbe(ms: number): void {
    if (this.probeMs.length < MAX_KEPT) this.probeMs.push(ms);
  }

  summary(run: { probes: number; wallMs: number; finalIntervalMs: number }): RunStats {
    const cpu = process.cpuUsage(this.cpuAtSpawn);
    const sorted = [...this.sampleMs].sort((a, b) => a - b);
    const probeSorted = [...this.probeMs].sort((a, b) => a - b);
    return {
      samples: sorted.length, sampleMsMedian: sorted[Math.floor(sorted.length / 2)] ?? 0, sampleMsMax: sorted[sorted.length - 1] ?? 0,
      probes: run.probes, probeMsMedian: probeSorted[Math.floor(probeSorted.length / 2)] ?? 0,
      selfCpuMs: (cpu.user + cpu.system) / 1000, wallMs: run.wallMs, startupMs: this.spawnedAtMs, finalIntervalMs: run.finalIntervalMs,
    };
  }
}
