// Six single OOM kills among 5,000 memory cgroups (issue 20, part 6): `footprint watch`
// must save six OOM reports, each kill said once, in its own cgroup, and none "outside
// the cgroups read". With 5,000 cgroups a reading of the kill counters takes long enough
// that kills fall inside the walk; before the fix one kill in such a walk gave two reports.
//
//   node bench/oomKills.mjs [--cgroups N] [--kills K]      (root; cgroup v1 memory controller)
//
// Making 5,000 v1 memory cgroups takes a minute or two here and removing them longer
// (the kernel offlines each memcg), which is why this is a bench and not a test: the
// suite's test/cgroups/oom/countedOnce.test.ts makes the same interleaving happen on purpose
// among 300. Everything made here (cgroups, processes, the report directory) is removed
// at the end, on an error, and on Ctrl-C. Prints the figures and PASS/FAIL.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, rmdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

// FOOTPRINT_ROOT: another checkout's built footprint to measure (the same kills against the code before a change).
const ROOT = process.env.FOOTPRINT_ROOT ?? dirname(dirname(fileURLToPath(import.meta.url)));
const MOUNT = '/sys/fs/cgroup/memory';

function option(name, fallback) {
  const index = process.argv.indexOf(name);
  return index < 0 ? fallback : Number(process.argv[index + 1]);
}
const CGROUPS = option('--cgroups', 5000);
const KILLS = option('--kills', 6);

if (process.getuid() !== 0 || !existsSync(join(MOUNT, 'memory.stat'))) {
  console.log('oomKills: needs root and the v1 memory controller at /sys/fs/cgroup/memory; skipped');
  process.exit(0);
}

/** An OOM report footprint saved: gzip'd JSON. */
const readReport = (path) => JSON.parse(gunzipSync(readFileSync(path)).toString('utf8'));

/** Every cgroup's memory.oom_control and cgroup.procs read once, as a reading of the kill counters does: how long a walk takes. */
function walkOnce(dir) {
  let cgroups = 0;
  const visit = (at) => {
    cgroups++;
    readFileSync(join(at, 'memory.oom_control'));
    readFileSync(join(at, 'cgroup.procs'));
    for (const entry of readdirSync(at, { withFileTypes: true })) if (entry.isDirectory()) visit(join(at, entry.name));
  };
  visit(dir);
  return cgroups;
}

const own = readFileSync('/proc/self/cgroup', 'utf8').split('\n').find((line) => line.split(':')[1]?.split(',').includes('memory')).split(':')[2];
const topPath = `${own === '/' ? '' : own}/footprint-bench-oom-${process.pid}`;
const top = join(MOUNT, topPath);
const work = mkdtempSync(join(tmpdir(), 'footprint-bench-oom-'));
const children = new Set();
const made = [];

function cleanUp() {
  for (const child of children) child.kill('SIGKILL');
  const deadline = Date.now() + 600_000;
  for (const dir of made.splice(0).reverse()) {
    for (;;) {
      try {
        rmdirSync(dir);
        break;
      } catch (error) {
        if (error.code === 'ENOENT') break;
        if (error.code !== 'EBUSY' || Date.now() > deadline) { console.log(`oomKills: could not remove ${dir}: ${error.code}`); break; }
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
      }
    }
  }
  rmSync(work, { recursive: true, force: true });
}
process.on('SIGINT', () => { cleanUp(); process.exit(130); });

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
async function until(what, check, ms = 300_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms: ${what}`);
    await sleep(50);
  }
}

let failed = false;
try {
  const memscript = join(work, 'memscript');
  const cc = spawnSync('cc', ['-O1', '-o', memscript, join(ROOT, 'test', 'fixtures', 'memscript.c')], { encoding: 'utf8' });
  if (cc.status !== 0) throw new Error(`cc: ${cc.stderr}`);
  mkdirSync(top);
  made.push(top);
  let started = Date.now();
  for (let index = 0; index < CGROUPS; index++) {
    const dir = join(top, `c${String(index).padStart(5, '0')}`);
    mkdirSync(dir);
    made.push(dir);
  }
  const makeSeconds = (Date.now() - started) / 1000;
  started = Date.now();
  const walked = walkOnce(MOUNT);
  const walkMs = Date.now() - started;

  const store = join(work, 'reports');
  const watch = spawn(process.execPath, [join(ROOT, 'bin', 'footprint.js'), 'watch', '--interval', '200ms', '--dir', store], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(watch);
  let printed = 0;
  let stderr = '';
  watch.stdout.on('data', () => { printed++; });
  watch.stderr.on('data', (chunk) => { stderr += chunk; });
  const victims = [];
  for (let kill = 0; kill < KILLS; kill++) {
    const seen = printed;
    await until('a watch report', () => (printed > seen + 1 ? true : undefined));
    const cgroup = `c${String(Math.floor(((kill + 0.5) / KILLS) * CGROUPS)).padStart(5, '0')}`;
    // The limit on the victim's cgroup alone: each child's own kernel memory is charged to its parent (a
    // memcg's per-CPU data, 5.9+), and 1,650 of them already fill 16 MiB.
    writeFileSync(join(top, cgroup, 'memory.limit_in_bytes'), String(16 * 1024 * 1024));
    const shell = spawn('sh', ['-c', `echo $$ > '${join(top, cgroup, 'cgroup.procs')}' && exec '${memscript}' w64`], { stdio: 'ignore' });
    children.add(shell);
    const signal = await new Promise((resolve) => shell.once('exit', (_code, sig) => resolve(sig)));
    children.delete(shell);
    victims.push({ cgroup: `${topPath}/${cgroup}`, pid: shell.pid, signal });
    // Another while the first is being said: anywhere in the next walk.
    await sleep(Math.floor(Math.random() * Math.max(200, walkMs)));
  }
  const reportNames = () => (existsSync(store) ? readdirSync(store).filter((name) => name.endsWith('-oom.json.gz')) : []);
  const ours = () => reportNames().flatMap((name) => readReport(join(store, name)).oom.kills.filter((kill) => kill.cgroup?.startsWith(`${topPath}/`)));
  await until('every kill said', () => (ours().reduce((sum, kill) => sum + kill.count, 0) >= KILLS ? true : undefined), 120_000);
  // A reading or two more: a kill said twice would be said by now.
  const settled = printed;
  await until('two readings more', () => (printed > settled + 2 ? true : undefined));
  watch.kill('SIGTERM');
  await new Promise((resolve) => watch.once('exit', resolve));
  children.delete(watch);

  const kills = ours();
  const said = kills.reduce((sum, kill) => sum + kill.count, 0);
  const named = victims.filter((victim) => kills.some((kill) => kill.cgroup === victim.cgroup && kill.count === 1 && kill.victims.some((each) => each.pid === victim.pid))).length;
  const outsideOurs = reportNames().flatMap((name) => readReport(join(store, name)).oom.kills.filter((kill) => kill.cgroup === undefined).flatMap((kill) => kill.victims)).filter((victim) => victims.some((each) => each.pid === victim.pid)).length;
  const outsideLines = stderr.split('\n').filter((line) => line.includes('outside the cgroups read')).length;
  // Kills said outside every cgroup: on a quiet machine none (another's kill in a cgroup removed meanwhile would be one).
  const outside = reportNames().flatMap((name) => readReport(join(store, name)).oom.kills.filter((kill) => kill.cgroup === undefined)).reduce((sum, kill) => sum + kill.count, 0);
  console.log(`oomKills: ${CGROUPS} cgroups made in ${makeSeconds.toFixed(1)} s; one pass over every cgroup's kill counter and members (${walked} cgroups) ${walkMs} ms`);
  console.log(`oomKills: ${KILLS} kills (${victims.filter((victim) => victim.signal === 'SIGKILL').length} SIGKILL); OOM reports ${reportNames().length}; kills said in their cgroups ${said}, victims named there ${named}; our victims said outside ${outsideOurs}; kills said outside every cgroup ${outside} ("outside" lines on stderr ${outsideLines})`);
  failed = said !== KILLS || named !== KILLS || outsideOurs !== 0 || outside !== 0;
  console.log(`oomKills: each kill said once: ${failed ? 'FAIL' : 'PASS'}`);
} catch (error) {
  failed = true;
  console.log(`oomKills: FAIL: ${error.message}`);
} finally {
  const started = Date.now();
  cleanUp();
  console.log(`oomKills: removed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
process.exitCode = failed ? 1 : 0;
