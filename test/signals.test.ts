/**
 * src/signals.ts, with real signals, in a Node process of its own: Jest's
 * `process` in a test is not the real one, whose listeners decide what a signal does.
 * The module (it imports nothing) is transpiled by esbuild and run with a script
 * that sends itself signals and prints what it handled.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, test } from '@jest/globals';
import { transformSync } from 'esbuild';

const MODULE = transformSync(readFileSync(new URL('../src/signals.ts', import.meta.url), 'utf8'), { loader: 'ts', format: 'esm' }).code;

/**
 * Runs `script` after the module, in a process of its own: `step(signal)` sends one and waits
 * until it was handled (polled, up to 10 s), `last(signal)` sends one that must end the process.
 */
function run(script: string) {
  const helpers = `
const seen = [];
const count = (signal) => process.listenerCount(signal);
const step = async (signal) => {
  const before = seen.length;
  process.kill(process.pid, signal);
  for (const deadline = Date.now() + 10_000; seen.length === before && Date.now() < deadline;) await new Promise((resolve) => setTimeout(resolve, 2));
};
const last = async (signal) => {
  process.kill(process.pid, signal);
  await new Promise((resolve) => setTimeout(resolve, 20_000));
};
`;
  return spawnSync(process.execPath, ['--input-type=module', '-e', `${MODULE}\n${helpers}\n${script}`], { encoding: 'utf8', timeout: 30_000 });
}

describe('onSignals', () => {
  test('handles each signal with its name until removed; then the default is back (SIGHUP ends the process, 129)', () => {
    const result = run(`
console.log(ENDING_SIGNALS.join(','));
const remove = onSignals(['SIGHUP', 'SIGUSR2'], (signal) => seen.push(signal));
console.log(count('SIGHUP'), count('SIGUSR2'));
await step('SIGHUP'); await step('SIGUSR2'); await step('SIGHUP');
console.log(seen.join(','));
remove();
console.log(count('SIGHUP'), count('SIGUSR2'));
await last('SIGHUP');
console.log('not reached');
`);
    expect(result.stdout).toBe('SIGINT,SIGTERM,SIGHUP\n1 1\nSIGHUP,SIGUSR2,SIGHUP\n0 0\n');
    expect(result.signal).toBe('SIGHUP');
  });

  test("once: each signal handled once, then it has its default again (serve: a second Ctrl-C ends it)", () => {
    const result = run(`
onSignals(['SIGTERM', 'SIGUSR2'], (signal) => seen.push(signal), { once: true });
await step('SIGUSR2');
console.log(seen.join(','), count('SIGUSR2'), count('SIGTERM'));
await step('SIGTERM');
console.log(seen.join(','), count('SIGTERM'));
await last('SIGTERM');
console.log('not reached');
`);
    expect(result.stdout).toBe('SIGUSR2 0 1\nSIGUSR2,SIGTERM 0\n');
    expect(result.signal).toBe('SIGTERM');
  });
});
