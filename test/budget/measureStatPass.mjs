// What the read budget's stat pass costs beside the scan it plans (docs/budget.md, "Figures measured"):
// ReadBudget.plan (the list, every process's stat, planReads) and scanProcesses under that plan (on one
// thread, as watch scans), alternately, ROUNDS times, on this machine's processes; the medians of their CPU.
// src bundled with esbuild. Not a test: run it by hand, beside a population (bench/population.mjs) if wanted.
//
//   node test/budget/measureStatPass.mjs [ROUNDS]
import { build } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'footprint-statpass-'));
await build({
  stdin: { contents: `export { ReadBudget } from './src/collect/readBudget.ts'; export { scanProcesses } from './src/scan/scanProcesses.ts'; export { ProcReader } from './src/kernel/procReader.ts'; export { DEFAULT_BUDGET_KNOBS } from './src/budget/budgetKnobs.ts';`, resolveDir: root, loader: 'ts' },
  bundle: true, format: 'esm', platform: 'node', outfile: join(dir, 'm.mjs'), logLevel: 'error',
});
const { ReadBudget, scanProcesses, ProcReader, DEFAULT_BUDGET_KNOBS } = await import(pathToFileURL(join(dir, 'm.mjs')).href);
rmSync(dir, { recursive: true, force: true });
const reader = new ProcReader('/proc');
const options = { estimate: false, cgroups: false, names: true, oomScores: true, selfPid: process.pid };
const budget = new ReadBudget(DEFAULT_BUDGET_KNOBS);
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const plans = [], scans = [];
let listed = 0;
for (let round = 0; round < Number(process.argv[2] ?? 10); round++) {
  let c = cpu();
  const planned = budget.plan(reader, options);
  plans.push(cpu() - c);
  c = cpu();
  const scan = scanProcesses(reader, { ...options, plan: planned.scan });
  scans.push(cpu() - c);
  budget.record(scan.samples, planned);
  listed = scan.counts.seen;
}
const med = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
console.log(`${listed} processes seen; CPU ms, median of ${plans.length}: stat pass + plan ${med(plans).toFixed(1)}, scan ${med(scans).toFixed(1)}: the pass is ${(100 * med(plans) / (med(plans) + med(scans))).toFixed(0)}% of both`);
