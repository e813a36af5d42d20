import type { ScanRequest } from '../collect/scanRequest.js';
import type { SortKey } from '../model/sortKeys.js';
import type { Unit as UnitChoice } from '../model/units.js';

/**
 * The report's arguments, apart from the command that runs them: the defaults,
 * the fast reader and the RSS-only fallback use the type without importing the
 * command (which imports them).
 */

/** Options that decide what a scan measures, as the report and `save` read them: the collection's request as it is. */
export type ScanArgs = ScanRequest;

export interface ReportArgs extends ScanArgs {
  sort: SortKey;
  reverse: boolean;
  top?: number;
  json: boolean;
  csv: boolean;
  units: UnitChoice;
  /** Whole rows on a terminal too. */
  wide: boolean;
}
