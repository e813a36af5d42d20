/**
 * Live, as root: footprint's reading of the kernel log. A line written to
 * /dev/kmsg (root may: it becomes one record of the log) before the reader
 * opens is not handed on; one written after is, and a drain with nothing new
 * returns at once (the file is non-blocking).
 */
import { existsSync, writeFileSync } from 'node:fs';
import { describe, expect, test } from '@jest/globals';
import { KmsgReader } from '../../src/kernel/kmsgReader.js';

const asRoot = process.getuid?.() === 0 && existsSync('/dev/kmsg');

(asRoot ? describe : describe.skip)('KmsgReader on the live /dev/kmsg', () => {
  test('only what is logged after it opened; an empty drain does not block', () => {
    const before = `footprint test ${process.pid}: logged before the reader opened`;
    const after = `footprint test ${process.pid}: logged after the reader opened`;
    writeFileSync('/dev/kmsg', `${before}\n`);
    const opened = KmsgReader.open();
    if (!opened.ok) throw new Error(opened.reason);
    try {
      const messages: string[] = [];
      writeFileSync('/dev/kmsg', `${after}\n`);
      opened.reader.drain((message) => messages.push(message));
      expect(messages.filter((message) => message.startsWith(`footprint test ${process.pid}:`))).toEqual([after]);
      const started = Date.now();
      expect(opened.reader.drain(() => undefined)).toBe(0);
      expect(Date.now() - started).toBeLessThan(1000);
    } finally {
      opened.reader.close();
    }
  });

  test('a log that cannot be opened: its reason, as data', () => {
    expect(KmsgReader.open('/dev/footprint-no-such-log')).toEqual({ ok: false, reason: '/dev/footprint-no-such-log: ENOENT' });
  });
});
