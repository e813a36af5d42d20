/**
 * Starts test/fixtures/shmemKinds.c (as root, or as user nobody through setpriv) and resolves on its
 * "ready PID DETAIL" line; the child goes into CHILDREN, for the test to stop by PID, also on failure.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { AS_NOBODY, fixtureBinary } from '../helpers/liveProcesses.js';

export interface StartedKind {
  pid: number;
  /** The shmid (sysv), the descriptor (memfd), or "-". */
  detail: string;
}

/** `prefix`: words before the binary (a shell that joins a cgroup, then `exec "$0" "$@"`). */
export function startShmemKind(args: string[], children: ChildProcess[], asNobody = false, prefix: string[] = []): Promise<StartedKind> {
  const binary = fixtureBinary('shmemKinds');
  const command = [...prefix, ...(asNobody ? AS_NOBODY : []), binary, ...args];
  const child = spawn(command[0], command.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr!.on('data', (chunk: Buffer) => { err += chunk.toString(); });
    // 'close' comes after the last output (an orphan's maker prints and exits at once); 'exit' may come before it.
    child.once('close', (status) => { if (!/^ready /.test(out)) reject(new Error(`shmemKinds ${args[0]} exited with ${status}: ${err}`)); });
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const ready = /^ready (\d+) (\S+)\n/.exec(out);
      if (ready !== null) resolve({ pid: Number(ready[1]), detail: ready[2] });
    });
  });
}
