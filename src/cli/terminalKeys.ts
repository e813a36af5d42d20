/**
 * Keys read from a terminal, one at a time (raw mode), for as long as a body
 * runs; the terminal given back as it was on every way out: the body's end, an
 * error thrown from it, and an exit of the process from elsewhere (process.exit
 * on a closed pipe). Ctrl-C is a key in raw mode, not a SIGINT: the reader of
 * the keys decides what it does.
 */

/** What of a terminal's stdin this needs (process.stdin when it is a TTY). */
export interface KeyboardInput {
  isTTY?: boolean;
  setRawMode(mode: boolean): unknown;
  on(event: 'data', listener: (data: Buffer) => void): unknown;
  off(event: 'data', listener: (data: Buffer) => void): unknown;
  pause(): unknown;
}

/** Runs `body` with each read of the terminal handed to `onKeys` (as text); the terminal restored whatever happens. */
export async function withTerminalKeys<T>(input: KeyboardInput, onKeys: (text: string) => void, body: () => Promise<T>): Promise<T> {
  const listener = (data: Buffer) => onKeys(data.toString('utf8'));
  let restored = false;
  const restore = () => {
    if (restored) return;
    restored = true;
    input.off('data', listener);
    input.setRawMode(false);
    // A paused stdin no longer holds the event loop open.
    input.pause();
  };
  // process.exit() runs no finally block, but it runs 'exit' listeners, synchronously.
  process.once('exit', restore);
  try {
    input.setRawMode(true);
    input.on('data', listener);
    return await body();
  } finally {
    restore();
    process.off('exit', restore);
  }
}
