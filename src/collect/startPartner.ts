import { ScanPartner } from '../scan/scanPartner.js';

/**
 * A partner thread for a command that scans again and again (serve), where this
 * machine has a second CPU for it; `onOnline` runs once the worker is up. A file
 * of its own: the report's bundle, which never starts one, does not load the
 * worker's code.
 */
export function startPartner(onOnline?: () => void): ScanPartner | undefined {
  return ScanPartner.helps() ? new ScanPartner(onOnline) : undefined;
}
