import type { Script as VmScript } from 'node:vm';
import { fs, requireBuiltin } from '../requireBuiltin.js';

const { Script } = requireBuiltin('node:vm') as typeof import('node:vm');
const { createRequire } = requireBuiltin('node:module') as typeof import('node:module');

/**
 * Loads a CommonJS bundle with the V8 code cache written beside it at build
 * time (PATH.cache), the way v8-compile-cache does for require(). V8 rejects a
 * cache made by another V8 version or with other flags; the code then simply
 * compiles as usual. FOOTPRINT_DEBUG_STARTUP=1 says on stderr which it was.
 */
export function loadCompiled<T>(path: string): { exports: T; script: VmScript } {
  let cachedData: Buffer | undefined;
  try {
    cachedData = fs.readFileSync(`${path}.cache`);
  } catch {
    // No cache: compile.
  }
  const source = fs.readFileSync(path, 'utf8');
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: path,
    cachedData,
  });
  if (process.env.FOOTPRINT_DEBUG_STARTUP === '1') {
    process.stderr.write(`footprint: code cache ${cachedData === undefined ? 'missing' : script.cachedDataRejected ? 'rejected' : 'accepted'}\n`);
  }
  const module = { exports: {} as T };
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  wrapper(module.exports, createRequire(path), module, path, path.slice(0, path.lastIndexOf('/')));
  return { exports: module.exports, script };
}

/** After a warm-up run (so lazily compiled functions are in it), writes PATH.cache. */
export function writeCodeCache(path: string, script: VmScript): void {
  fs.writeFileSync(`${path}.cache`, script.createCachedData());
}

/** loadCompiled's exports of a bundle the build wrote, or undefined where it is not there (running from source). */
export function loadBuiltBundle<T>(path: string): T | undefined {
  return fs.existsSync(path) ? loadCompiled<T>(path).exports : undefined;
}
