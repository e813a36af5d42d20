import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { expect } from '@jest/globals';
import { FOOTPRINT_BIN } from './runFootprint.js';

const BIN = FOOTPRINT_BIN;
let sessions = 0;

/**
 * footprint ARGS on a tmux terminal of COLUMNS×ROWS, on the tmux server at
 * SOCKET (the caller's, ended by it): its exit code and the screen's lines
 * (its whole history, wrapped lines joined). Waits for the command to say it
 * has exited, never for a time; the session is killed whatever happens.
 */
export async function footprintOnTerminal(socket: string, columns: number, rows: number, args: string[]): Promise<{ code: number; lines: string[] }> {
  const session = `t${columns}-${++sessions}`;
  const command = `${process.execPath} ${BIN} ${args.join(' ')}; echo "exited $?"; sleep 120`;
  expect(spawnSync('tmux', ['-S', socket, 'new-session', '-d', '-s', session, '-x', String(columns), '-y', String(rows), command]).status).toBe(0);
  try {
    for (const deadline = Date.now() + 90_000; Date.now() < deadline;) {
      const screen = spawnSync('tmux', ['-S', socket, 'capture-pane', '-p', '-J', '-S', '-', '-t', session], { encoding: 'utf8' }).stdout;
      const exited = /^exited (\d+)$/m.exec(screen);
      if (exited) {
        const lines = screen.split('\n');
        return { code: Number(exited[1]), lines: lines.slice(0, lines.findIndex((line) => /^exited \d+$/.test(line))) };
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`footprint ${args.join(' ')} did not finish on the terminal`);
  } finally {
    spawnSync('tmux', ['-S', socket, 'kill-session', '-t', session]);
  }
}

/** footprint ARGS under GNU time, NO_COLOR, stdout a pipe: its output, and the command's CPU seconds and peak RSS. */
export function timedFootprint(args: string[]): { stdout: string; status: number | null; cpuSeconds: number; maxRssKiB: number } {
  const result = spawnSync('/usr/bin/time', ['-f', 'time %U %S %M', process.execPath, BIN, ...args], {
    encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' },
  });
  const figures = /^time ([\d.]+) ([\d.]+) (\d+)$/m.exec(result.stderr);
  if (!figures) throw new Error(`no figures from /usr/bin/time: ${result.stderr}`);
  return { stdout: result.stdout, status: result.status, cpuSeconds: Number(figures[1]) + Number(figures[2]), maxRssKiB: Number(figures[3]) };
}
