// What the planner itself costs a scan (docs/budget.md, "Figures measured"): src/budget
// bundled with esbuild, then planReads + recordReads over N processes (a few over the
// bound, the rest small), SCANS times, as a long-running mode would call them; the median
// ms per scan and the heap the state holds. Not a test: run it by hand.
//
//   node test/budget/measurePlanner.mjs [N] [SCANS]
import { build } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

// A collection before and after, for the heap the state holds: gc() without a flag on the command line.
setFlagsFromString('--expose_gc');
const gc = runInNewContext('gc');

const count = Number(process.argv[2] ?? 1000);
const scans = Number(process.argv[3] ?? 200);
const root = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'footprint-planner-'));
const entry = join(dir, 'entry.ts');
await build({
  stdin: {
    contents: ['planReads', 'budgetState', 'budgetKnobs'].map((name) => `export * from ${JSON.stringify(join(root, 'src/budget', `${name}.ts`))};`).join('\n'),
    resolveDir: root, loader: 'ts',
  },
  bundle: true, format: 'esm', platform: 'node', outfile: join(dir, 'budget.mjs'), logLevel: 'error',
});
const { planReads, recordReads, emptyBudgetState, DEFAULT_BUDGET_KNOBS } = await import(pathToFileURL(join(dir, 'budget.mjs')).href);
rmSync(dir, { recursive: true, force: true });
void entry;

const MIB = 2 ** 20;
const counters = (anon) => ({ rss: anon + 8 * MIB, pss: anon + 2 * MIB, sharedClean: 8 * MIB, sharedDirty: 0, privateClean: 0, privateDirty: anon, privateHugetlb: 0, sharedHugetlb: 0, anonymous: anon, swap: 0, other: {} });
// One process in a hundred is 2 GiB (over the bound), the rest 2–40 MiB.
const processes = Array.from({ length: count }, (_, i) => ({ pid: 100 + i, startTime: 5000 + i, name: `p${i}`, residentBytes: (i % 100 === 0 ? 2048 : 2 + (i % 39)) * MIB }));
let state = emptyBudgetState();
const times = [];
const planTimes = [];
gc();
const heapBefore = process.memoryUsage().heapUsed;
const cpuBefore = process.cpuUsage();
for (let scan = 0; scan < scans; scan++) {
  const now = scan * 1000;
  // The outcomes (what the scan's reads return) are made outside the timing.
  const started = process.hrtime.bigint();
  const planned = planReads(processes, state, DEFAULT_BUDGET_KNOBS, now);
  const planMs = Number(process.hrtime.bigint() - started) / 1e6;
  const outcomes = planned.plan.decisions.filter((d) => d.read).map((d) => ({ pid: d.pid, startTime: d.startTime, ms: d.expectedMs, counters: counters(processes[d.pid - 100].residentBytes - 8 * MIB) }));
  const recording = process.hrtime.bigint();
  state = recordReads(planned.state, outcomes, now);
  times.push(planMs + Number(process.hrtime.bigint() - recording) / 1e6);
  planTimes.push(planMs);
}
const cpu = process.cpuUsage(cpuBefore);
gc();
const heapAfter = process.memoryUsage().heapUsed;
times.sort((a, b) => a - b);
planTimes.sort((a, b) => a - b);
console.log(`${count} processes, ${scans} scans: plan + record ${times[Math.floor(times.length / 2)].toFixed(3)} ms median, ${times[Math.floor(times.length * 0.9)].toFixed(3)} ms p90, CPU ${((cpu.user + cpu.system) / 1000 / scans).toFixed(3)} ms a scan with the outcomes made (the plan alone ${planTimes[Math.floor(planTimes.length / 2)].toFixed(3)} ms); state ${state.processes.size} records, heap +${((heapAfter - heapBefore) / MIB).toFixed(2)} MiB`);
