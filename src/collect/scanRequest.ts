import type { GroupBy } from '../model/report.js';
import type { TextPattern } from '../reduce/matchGroups.js';

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
  /** --match: the whole machine is scanned (the totals and the System block are its), and the view says which groups match. */
  match?: TextPattern;
  /** --timing: each process's exact read timed (ProcessSample.readMs). */
  timing?: boolean;
}
