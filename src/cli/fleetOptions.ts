import type { GroupBy } from '../model/report.js';

/**
 * Groupings `serve` and `export` offer: never a command line or a PID by
 * default, since command lines carry secrets into every dashboard.
 */
export type FleetGroupBy = Extract<GroupBy, 'program' | 'user' | 'cgroup'>;
export const FLEET_GROUP_CHOICES: FleetGroupBy[] = ['program', 'user', 'cgroup'];

