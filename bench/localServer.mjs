// What the benches that start `footprint serve` share: a free port on 127.0.0.1,
// the moment serve says it listens, and its memory as its probe reports it.
import { readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';

/** A free port on 127.0.0.1 (the probing server is closed before serve takes it). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Until serve says it listens (its stderr), or rejects with what it said if it exits first. */
export function serveListening(child) {
  return new Promise((resolve, reject) => {
    let err = '';
    const onExit = (code) => reject(new Error(`serve exited (${code}): ${err}`));
    child.once('exit', onExit);
    child.stderr.on('data', (chunk) => {
      err += chunk;
      if (err.includes('metrics on')) {
        child.off('exit', onExit);
        resolve();
      }
    });
  });
}

/** serve's memory as V8 and the kernel see it (bench/serveMemoryProbe.cjs, asked by SIGUSR2, written to `file`). */
export async function askMemory(pid, file) {
  rmSync(file, { force: true });
  process.kill(pid, 'SIGUSR2');
  for (const deadline = Date.now() + 10_000; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 20))) {
    try {
      return JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      // not written yet
    }
  }
  throw new Error('serve did not report its memory within 10 s');
}
