import type { GroupBy } from '../model/report.js';

/** What a report's scan measures: the report, save, watch, serve and export ask for one. */
export interface ScanRequest {
  group: GroupBy;
  estimate: boolean;
  pid?: number[];
  user?: string;
  procRoot?: string;
  /** serve and export's --rollup-max-rss, in the tree's pages (see rollupCeilingPages). */
  rollupMaxRssPages?: number;
}
