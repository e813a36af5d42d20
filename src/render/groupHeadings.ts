import type { GroupBy } from '../model/report.js';

/** The heading of the column that names each group, for every grouping (report, diff). */
export const GROUP_HEADINGS: Record<GroupBy, string> = {
  program: 'Program', cmdline: 'Command line', pid: 'Process', user: 'User', cgroup: 'Cgroup',
};
