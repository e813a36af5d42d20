/**
 * Waits for a condition, never for a time: CHECK's first value other than
 * undefined, looked at every 50 ms (`pace: 'poll'`: at every turn of the event
 * loop, for a window that may be short), or an error naming WHAT once
 * DEADLINE_MS have passed.
 */
export async function until<T>(what: string, check: () => T | undefined, deadlineMs: number, pace: 'wait' | 'poll' = 'wait'): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`not within ${deadlineMs} ms: ${what}`);
    await new Promise((resolve) => (pace === 'poll' ? setImmediate(resolve) : setTimeout(resolve, 50)));
  }
}
