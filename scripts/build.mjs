// Bundles src/ into dist/ with esbuild: a small CommonJS entry and the report's
// CommonJS bundle (with its V8 code cache) for start-up, and yargs with every
// command as ES modules in lazily imported chunks, so that `footprint` loads
// little before it scans.
import { readFile, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { spawnSync } from 'node:child_process';
import { build } from 'esbuild';

/**
 * yargs' ESM platform shim does costly things the moment it is imported,
 * though a normal run needs none of them (measured with --cpu-prof, issue 2):
 * it imports node:assert (which loads Node's stream and net modules and creates
 * process.stderr), reads process.stdout.columns (which creates process.stdout:
 * 8-20 ms on its own), and imports cliui and string-width 8, which build
 * Intl.Segmenters and a \p{RGI_Emoji} regex at module scope (~15 ms). This
 * plugin makes them lazy, with the same behaviour once used: assert is required
 * only by an assertion that fails, stdColumns becomes a getter, and cliui and
 * string-width are bundled behind a require() so esbuild initialises them only
 * when help is drawn. If a yargs upgrade changes the shim, the build warns and
 * leaves it as it is.
 */
const lazyYargsShim = {
  name: 'lazy-yargs-shim',
  setup(bundler) {
    bundler.onLoad({ filter: /[\\/]yargs[\\/]lib[\\/]platform-shims[\\/]esm\.mjs$/ }, async (args) => {
      let source = await readFile(args.path, 'utf8');
      const edits = [
        ["import { notStrictEqual, strictEqual } from 'assert'\n", ''],
        ['  assert: {\n    notStrictEqual,\n    strictEqual\n  },',
          // Only a failing assertion loads node:assert, to throw its own AssertionError (both use Object.is).
          "  assert: {\n    notStrictEqual: (a, b, m) => { if (Object.is(a, b)) require('assert').notStrictEqual(a, b, m) },\n    strictEqual: (a, b, m) => { if (!Object.is(a, b)) require('assert').strictEqual(a, b, m) }\n  },"],
        ["import cliui from 'cliui'\n", "import cliui from 'footprint-lazy:cliui'\n"],
        ["import stringWidth from 'string-width';\n", "import stringWidth from 'footprint-lazy:string-width';\n"],
        ["    stdColumns: typeof process.stdout.columns !== 'undefined' ? process.stdout.columns : null",
          "    get stdColumns() { return typeof process.stdout.columns !== 'undefined' ? process.stdout.columns : null }"],
      ];
      const missed = edits.filter(([from]) => !source.includes(from));
      if (missed.length > 0) {
        // Apply none: a half-edited shim (assert removed, its use kept) would not run.
        return { warnings: [{ text: `lazy-yargs-shim: yargs' shim changed, left as is (start-up is slower): ${missed.map(([from]) => JSON.stringify(from.trim().slice(0, 40))).join(', ')}` }] };
      }
      for (const [from, to] of edits) source = source.replace(from, to);
      return { contents: source, loader: 'js', resolveDir: dirname(args.path) };
    });
    // cliui joins an option's extras ([boolean] [default: false]) onto its description's last
    // line when they fit with no space at all between (`growing[boolean]`, cliui issue #88):
    // they join only with at least one space between, else the extras take their own line.
    bundler.onLoad({ filter: /[\\/]cliui[\\/]build[\\/]lib[\\/]index\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      const from = 'if (leadingWhitespace < targetTextWidth) {';
      if (!source.includes(from)) {
        return { warnings: [{ text: "lazy-yargs-shim: cliui's renderInline changed, left as is (help may join a description to its [type])" }] };
      }
      return { contents: source.replace(from, 'if (leadingWhitespace <= targetTextWidth) {'), loader: 'js', resolveDir: dirname(args.path) };
    });
    bundler.onResolve({ filter: /^footprint-lazy:/ }, (args) => ({
      path: args.path.slice('footprint-lazy:'.length), namespace: 'footprint-lazy', pluginData: args.resolveDir,
    }));
    bundler.onLoad({ filter: /.*/, namespace: 'footprint-lazy' }, (args) => ({
      // A bundled require() of an ES module: esbuild wraps the package (and what it imports)
      // in an initialiser that runs on the first call, i.e. only when help is drawn.
      contents: `export default function lazy(...a) { return require(${JSON.stringify(args.path)}).default(...a); }`,
      loader: 'js',
      resolveDir: args.pluginData,
    }));
  },
};

// Chunk names carry content hashes: without a clean start, every build would leave the old ones behind.
await rm('dist', { recursive: true, force: true });

// What every bundle shares. Minified: for the start-up chunk (mostly yargs) half
// the size for V8 to parse.
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  outdir: 'dist',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
};

await build({
  ...common,
  // indexWorker: the history index's rebuilding thread (src/store/indexWorkerPool.ts), sharing the chunks.
  entryPoints: { parseArguments: 'src/cli/parseArguments.ts', codeCacheTools: 'src/cli/entries/codeCacheTools.ts', indexWorker: 'src/store/indexWorker.ts' },
  splitting: true,
  format: 'esm',
  // The off-Linux fallback's CommonJS packages call require('fs'), which an ESM
  // bundle cannot do: load them from node_modules, and only when the fallback runs.
  external: ['pidusage', 'ps-list'],
  // yaml's Node build is CommonJS and calls require('process') too; its ES module
  // build (the same code, warnings by console.warn instead of process.emitWarning)
  // bundles, so serve --web-config needs nothing from node_modules either.
  alias: { yaml: './node_modules/yaml/browser/index.js' },
  chunkNames: 'chunks/[name]-[hash]',
  sourcemap: false,
  plugins: [lazyYargsShim],
});

// The start-up bundles are CommonJS: bin/footprint.js requires the entry, so a
// report never starts Node's ES module loader. CommonJS has no import.meta;
// createRequire() (src/requireBuiltin.ts) takes the file's path as well.
const commonJs = {
  ...common,
  format: 'cjs',
  define: { 'import.meta.url': '__filename', 'import.meta.dirname': '__dirname' },
  outExtension: { '.js': '.cjs' },
};

// The entry, dist/footprint.cjs, is one small file: it runs the report from
// dist/report.cjs, and imports dist/parseArguments.js (yargs, every command) only
// when yargs is needed.
await build({
  ...commonJs,
  entryPoints: { footprint: 'src/cli/main.ts' },
  external: ['./parseArguments.js'],
});

// The report and its argument reader run from one CommonJS file through a V8
// code cache (src/startup/loadCompiled.ts): Node 20 caches no compiled ES modules.
await build({
  ...commonJs,
  entryPoints: { report: 'src/cli/entries/reportBundle.ts' },
  external: ['pidusage', 'ps-list'],
});

// `run -- CMD` starts CMD from its own CommonJS file, without yargs (src/cli/runArguments.ts).
// re2js (--mark's engine, 160 kB) stays in node_modules: only a run with --mark loads it.
await build({
  ...commonJs,
  entryPoints: { overTime: 'src/cli/entries/overTimeBundle.ts' },
  external: ['pidusage', 'ps-list', 're2js'],
});

// `files` without yargs, as the report (src/cli/filesArguments.ts); re2js (--match's engine) stays in node_modules.
await build({
  ...commonJs,
  entryPoints: { files: 'src/cli/entries/filesBundle.ts' },
  external: ['pidusage', 'ps-list', 're2js'],
});

// `serve` without yargs and the ES module loader (src/cli/serveArguments.ts), as files'; re2js (--match) stays in
// node_modules; yaml as the ES module build has it (serve --web-config), so the two paths read a config alike.
await build({
  ...commonJs,
  entryPoints: { serve: 'src/cli/entries/serveBundle.ts' },
  external: ['pidusage', 'ps-list', 're2js'],
  alias: { yaml: './node_modules/yaml/browser/index.js' },
});

// The worker thread of a scan shared by two threads (src/scan/scanPartner.ts): the scan's code alone.
await build({
  ...commonJs,
  entryPoints: { scanPartnerWorker: 'src/scan/scanPartnerWorker.ts' },
});

// serve's bcrypt thread (src/serve/bcryptPool.ts): bcryptjs alone, loaded only for basic auth.
await build({
  ...commonJs,
  entryPoints: { bcryptWorker: 'src/serve/bcryptWorker.ts' },
});

// The cache is an optimisation: without it (or if V8 rejects it) the code compiles as usual.
const cache = spawnSync(process.execPath, [new URL('./makeCodeCache.mjs', import.meta.url).pathname], { stdio: ['ignore', 'ignore', 'inherit'] });
if (cache.status !== 0) console.warn('build: no code cache for the report bundle (it will compile at each run)');
const runCache = spawnSync(process.execPath, [new URL('./makeRunCodeCache.mjs', import.meta.url).pathname], { stdio: ['ignore', 'ignore', 'ignore'] });
if (runCache.status !== 0) console.warn("build: no code cache for run's bundle (it will compile at each run)");
const filesCache = spawnSync(process.execPath, [new URL('./makeFilesCodeCache.mjs', import.meta.url).pathname], { stdio: ['ignore', 'ignore', 'ignore'] });
if (filesCache.status !== 0) console.warn("build: no code cache for files' bundle (it will compile at each run)");

// man/footprint.1, from the help text just built (package.json's "man" installs it).
const man = spawnSync(process.execPath, [new URL('./makeManPage.mjs', import.meta.url).pathname], { stdio: ['ignore', 'inherit', 'inherit'] });
if (man.status !== 0) process.exitCode = 1;
