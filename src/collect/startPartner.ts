import { ScanPartner } from '../scan/scanPartner.js';

/**
 * A partner thread for a command that scans again and again (serve), where this
 * machine has a second CPU for it and the caller does not want the scan on one
 * thread (`oneThread`: the bench compares); `onOnline` runs once the worker is up. A file
 * of its own: the report's bundle, which never starts one, does not load the
 * worker's code.
 */
export function startPartner(onOnline?: () => void, options: { oneThread?: boolean } = {}): ScanPartner | undefined {
  return options.oneThread !== true && ScanPartner.helps() ? new ScanPartner(onOnline) : undefined;
}
