import type { GroupBy } from '../model/report.js';

/** What a report's scan measures: the report, save, watch, serve and export ask for one. */
export interface ScanRequest {
  group: GroupBy;
  estimate: boolean;
  pid?: number[];
  user?: string;
  procRoot?: string;
  /** Read each process's oom_score (default: yes): a text or CSV report shows it only when asked (--sort oom, --group pid), so it asks only then. */
  oomScores?: boolean;
  /** serve and export's --rollup-max-rss, in the tree's pages (see rollupCeilingPages). */
  rollupMaxRssPages?: number;
}
