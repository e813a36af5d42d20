import { readRegularFile } from './files/readRegularFile.js';
import { parsePasswd } from './procfs/passwd.js';
import { LIVE_PASSWD } from './livePaths.js';

/** Far above any real /etc/passwd (a million users of ~60 bytes): a bound, not a guess. */
const PASSWD_CAP = 64 * 1024 * 1024;

/** UID → user name from /etc/passwd, read bounded; empty where it cannot be read. */
export function readUserNames(): Map<number, string> {
  const read = readRegularFile(LIVE_PASSWD, PASSWD_CAP);
  return read.ok ? parsePasswd(read.data.toString('latin1')) : new Map();
}
