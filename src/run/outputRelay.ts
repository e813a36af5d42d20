import { writeSync } from 'node:fs';
import type { Readable } from 'node:stream';
import type { RunMark } from '../model/run.js';
import type { MarkPattern } from './markPattern.js';
import { isTryAgain } from '../kernel/files/fileErrors.js';

/** Marks kept at most, and the longest line looked at: a run's memory for marks is bounded. */
export const MAX_MARKS = 1000;
const MAX_LINE = 64 * 1024;

/**
 * Passes CMD's output on to footprint's own (fd 1 or 2), byte for byte and in
 * order, and notes each line that matches `pattern` as a mark at the moment it
 * arrived. When footprint's output is closed (EPIPE), the pipe from CMD is
 * closed too, so that CMD meets the closed pipe itself, as it would have.
 */
export class OutputRelay {
  private partial = '';
  /** Whether the last byte passed on was not a newline. */
  endsMidLine = false;

  /** `markAt`: the mark for a matching line at `ms` (run takes a sample there). */
  constructor(
    private readonly fd: number,
    private readonly pattern: MarkPattern,
    private readonly marks: RunMark[],
    private readonly now: () => number,
    private readonly counts: { dropped: number },
    private readonly markAt: (ms: number, text: string) => RunMark = (ms, text) => ({ ms, text }),
  ) {}

  attach(source: Readable): void {
    source.on('data', (chunk: Buffer) => {
      // Passed on first: matching (linear in the line, RE2) never holds CMD's output back.
      if (!this.write(chunk)) source.destroy();
      if (chunk.length > 0) this.endsMidLine = chunk[chunk.length - 1] !== 0x0a;
      this.scan(chunk.toString('utf8'));
    });
    source.on('end', () => this.flushLine());
  }

  private write(chunk: Buffer): boolean {
    let rest = chunk;
    while (rest.length > 0) {
      try {
        rest = rest.subarray(writeSync(this.fd, rest));
      } catch (error) {
        if (isTryAgain(error)) continue;
        return false;
      }
    }
    return true;
  }

  private scan(text: string): void {
    let start = 0;
    for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
      this.take(this.partial + text.slice(start, end));
      this.partial = '';
      start = end + 1;
    }
    this.partial = (this.partial + text.slice(start)).slice(0, MAX_LINE);
  }

  private flushLine(): void {
    if (this.partial !== '') this.take(this.partial);
    this.partial = '';
  }

  private take(line: string): void {
    const text = line.endsWith('\r') ? line.slice(0, -1) : line;
    const ms = Math.round(this.now());
    if (!this.pattern.test(text)) return;
    if (this.marks.length < MAX_MARKS) this.marks.push(this.markAt(ms, text.slice(0, 200)));
    else this.counts.dropped++;
  }
}
