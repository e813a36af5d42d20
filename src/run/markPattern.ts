import { createRequire } from 'node:module';

/** A --mark pattern: whether a line of CMD's output matches. */
export interface MarkPattern {
  test(line: string): boolean;
}

/**
 * Compiles --mark with RE2's semantics (re2js, a JavaScript port of RE2): matching
 * takes time linear in the line, whatever the pattern, where a backtracking
 * RegExp can take minutes on `(a+)+$` and a line of 40 a's. No backreferences or
 * lookaround (RE2 has none). Loaded only when --mark is given: it costs ~20 ms of
 * start-up (re2-wasm, measured: ~50 ms). Required, not imported: run's bundle is
 * compiled through a V8 code cache (vm.Script), where a dynamic import() needs an
 * experimental loader; re2js ships a CommonJS build.
 */
export async function compileMarkPattern(source: string): Promise<{ ok: true; pattern: MarkPattern } | { ok: false; reason: string }> {
  const { RE2JS } = createRequire(import.meta.url)('re2js') as typeof import('re2js');
  try {
    const compiled = RE2JS.compile(source);
    return { ok: true, pattern: { test: (line) => compiled.matcher(line).find() } };
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
}
