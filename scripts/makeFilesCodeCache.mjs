// Writes dist/files.cjs.cache: the V8 code cache of `files`' bundle, taken after
// real use (its argument reader, then runs over a captured tree and over the
// build's own process, live) and with the V8 flags files runs with (none set:
// it is a long-running command, main.ts sets no --max-opt), since V8 only
// accepts a cache made so. Run by scripts/build.mjs with stdout and stderr discarded.
import { fileURLToPath } from 'node:url';
import { loadCompiled, writeCodeCache } from '../dist/codeCacheTools.js';

const bundle = fileURLToPath(new URL('../dist/files.cjs', import.meta.url));
const procRoot = fileURLToPath(new URL('../snapshots/hostile-names/proc', import.meta.url));
const { exports, script } = loadCompiled(bundle);
const WARM_ARGUMENTS = [
  [], ['--json'], ['-n', '20'], ['--by', 'program', '--mappings'], ['-u', '0', '--csv'], ['-p', '1,2', '--units', 'MiB', '--wide'], ['--bogus'],
];
for (const argv of WARM_ARGUMENTS) exports.readFilesArguments(argv);
for (const argv of [['--proc-root', procRoot], ['--proc-root', procRoot, '--json', '--by', 'program'], ['--proc-root', procRoot, '--csv', '--mappings'],
  ['-p', String(process.ppid), '-n', '5']]) {
  const args = exports.readFilesArguments(argv);
  if (args !== undefined) await exports.runFiles(args);
}
writeCodeCache(bundle, script);
