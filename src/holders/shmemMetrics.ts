import type { MetricFamily } from '../model/metrics.js';
import { SHMEM_KINDS } from './shmemObjects.js';
import type { ShmemTotals } from './shmemAttribution.js';

/** The label value of each kind, and of the part no row names: sum() over the family is meminfo's Shmem. */
const NOT_ATTRIBUTABLE = 'not_attributable';

/**
 * serve's and export's gauges of shared memory: Shmem by kind (the kinds and
 * what is not attributable add up to Shmem, so sum() means it), and the
 * orphans' bytes and count, so that an alert on leaked /dev/shm files is one
 * line: footprint_shmem_orphaned_bytes > 1e9. Bounded: one series per kind,
 * no names in labels (a file's name is its creator's to choose).
 */
export function shmemMetricFamilies(totals: ShmemTotals): MetricFamily[] {
  return [
    {
      name: 'footprint_shmem_bytes',
      help: 'Shared memory (meminfo Shmem) by kind: tmpfs files, unlinked tmpfs files still held, memfds, SysV segments, shared anonymous memory, and what no process read holds.',
      type: 'gauge',
      samples: [
        ...SHMEM_KINDS.map((kind) => ({ labels: { kind: kind.replace('-', '_') }, value: totals.byKind[kind] })),
        { labels: { kind: NOT_ATTRIBUTABLE }, value: totals.notAttributable.bytes },
      ],
    },
    {
      name: 'footprint_shmem_orphaned_bytes',
      help: 'Bytes of tmpfs files no process read maps or holds open, and of SysV segments attached nowhere.',
      type: 'gauge',
      samples: [{ labels: {}, value: totals.orphaned }],
    },
    {
      name: 'footprint_shmem_orphaned_objects',
      help: 'How many tmpfs files and SysV segments are held by no process read.',
      type: 'gauge',
      samples: [{ labels: {}, value: totals.orphans }],
    },
    {
      name: 'footprint_shmem_unread_processes',
      help: 'Processes whose maps or descriptors could not be read: what they hold is not attributable, and an orphan may be held by one.',
      type: 'gauge',
      samples: [{ labels: {}, value: totals.unreadable }],
    },
  ];
}
