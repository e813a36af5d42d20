import { closeSync, constants, openSync, readSync } from 'node:fs';
import { fileErrorCode, isClosedPipe, isNotPermitted, isTryAgain } from './files/fileErrors.js';
import { parseKmsgRecord } from './kmsg/kmsgRecord.js';
import { LIVE_KMSG } from './livePaths.js';

/** A record is at most CONSOLE_EXT_LOG_MAX (8 KiB); a read into less fails with EINVAL. */
const RECORD_BYTES = 8192;
/** Records taken per drain: the whole log buffer of a busy machine is a few thousand; more waits for the next drain. */
const MAX_RECORDS_PER_DRAIN = 20_000;

export type KmsgOpened = { ok: true; reader: KmsgReader } | { ok: false; reason: string };

/**
 * The kernel log, read without blocking: /dev/kmsg opened O_NONBLOCK, a
 * record per read() until EAGAIN. What the log held before footprint started
 * is read once at open and let go (Node has no lseek(SEEK_END)): only records
 * logged after are handed on. Reading it needs root or CAP_SYSLOG where
 * kernel.dmesg_restrict is 1. A record overwritten before it was read
 * (EPIPE) is skipped: the next read goes on from the oldest still held.
 */
export class KmsgReader {
  private readonly buffer = Buffer.allocUnsafe(RECORD_BYTES);
  private fd: number | undefined;

  private constructor(fd: number) {
    this.fd = fd;
  }

  static open(path = LIVE_KMSG): KmsgOpened {
    let fd: number;
    try {
      fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    } catch (error) {
      const code = fileErrorCode(error) ?? 'an error';
      return { ok: false, reason: isNotPermitted(error) ? `${path}: not permitted (root or CAP_SYSLOG reads it)` : `${path}: ${code}` };
    }
    const reader = new KmsgReader(fd);
    // Everything logged before now: read to the end and dropped, a bounded number of times.
    for (let round = 0; round < 100 && reader.drain(() => undefined) === MAX_RECORDS_PER_DRAIN; round++) { /* past the old records */ }
    return { ok: true, reader };
  }

  /** Hands each message logged since the last drain to `onMessage` (and whether it continues the one before: KmsgRecord); returns how many records were read. */
  drain(onMessage: (message: string, continued: boolean) => void): number {
    if (this.fd === undefined) return 0;
    let records = 0;
    while (records < MAX_RECORDS_PER_DRAIN) {
      let n: number;
      try {
        n = readSync(this.fd, this.buffer, 0, RECORD_BYTES, null);
      } catch (error) {
        // Overwritten before it was read: counted, so that a log written faster than read still ends the drain.
        if (isClosedPipe(error)) {
          records++;
          continue;
        }
        if (!isTryAgain(error)) this.close();
        break;
      }
      if (n === 0) break;
      records++;
      const record = parseKmsgRecord(this.buffer.toString('utf8', 0, n));
      if (record !== undefined) onMessage(record.message, record.continued);
    }
    return records;
  }

  close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }
}
