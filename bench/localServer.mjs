// What the benches that start `footprint serve` share: a free port on 127.0.0.1,
// and the moment serve says it listens.
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
