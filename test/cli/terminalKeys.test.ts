/**
 * The terminal given back on every way out of a body that reads keys. The
 * live tests (test/live/watchTop.test.ts) give it back on a real terminal after
 * q, Ctrl-C and SIGTERM; an error thrown mid-watch cannot be made to happen
 * for real, so here a stand-in for stdin records what was done to it.
 */
import { describe, expect, it } from '@jest/globals';
import { EventEmitter } from 'node:events';
import { withTerminalKeys, type KeyboardInput } from '../../src/cli/terminalKeys.js';

class RecordedInput extends EventEmitter implements KeyboardInput {
  isTTY = true;
  modes: boolean[] = [];
  paused = false;
  setRawMode(mode: boolean): this {
    this.modes.push(mode);
    return this;
  }
  pause(): this {
    this.paused = true;
    return this;
  }
}

describe('withTerminalKeys', () => {
  it('hands each read to the reader of keys while the body runs, then gives the terminal back', async () => {
    const input = new RecordedInput();
    const read: string[] = [];
    const exitListeners = process.listenerCount('exit');
    const result = await withTerminalKeys(input, (text) => read.push(text), async () => {
      expect(input.modes).toEqual([true]);
      expect(process.listenerCount('exit')).toBe(exitListeners + 1);
      input.emit('data', Buffer.from('s'));
      input.emit('data', Buffer.from('\x1b[A'));
      return 42;
    });
    expect(result).toBe(42);
    expect(read).toEqual(['s', '\x1b[A']);
    expect([input.modes, input.paused, input.listenerCount('data')]).toEqual([[true, false], true, 0]);
    expect(process.listenerCount('exit')).toBe(exitListeners);
    // After the body, keys go nowhere.
    input.emit('data', Buffer.from('q'));
    expect(read).toEqual(['s', '\x1b[A']);
  });

  it('gives the terminal back when the body throws, and the error goes on', async () => {
    const input = new RecordedInput();
    const exitListeners = process.listenerCount('exit');
    await expect(withTerminalKeys(input, () => {}, async () => {
      throw new Error('scan failed');
    })).rejects.toThrow('scan failed');
    expect([input.modes, input.paused, input.listenerCount('data')]).toEqual([[true, false], true, 0]);
    expect(process.listenerCount('exit')).toBe(exitListeners);
  });

  it("gives it back on process.exit from elsewhere (which runs no finally): the 'exit' listener, once", async () => {
    const input = new RecordedInput();
    await withTerminalKeys(input, () => {}, async () => {
      const listeners = process.listeners('exit');
      // The one this body added: what process.exit() would call, synchronously.
      (listeners[listeners.length - 1] as () => void)();
      expect(input.modes).toEqual([true, false]);
    });
    // Given back once, not twice.
    expect(input.modes).toEqual([true, false]);
  });
});
