import { describe, expect, it } from '@jest/globals';
import { parseZoneinfo } from '../../../src/kernel/procfs/zoneinfo.js';
import { snapshotText } from '../../helpers/snapshots.js';

const text = snapshotText('system-memory/plain', 'zoneinfo');

function zoneinfo(input = text) {
  const result = parseZoneinfo(input);
  if (!result.ok) throw new Error(`${result.error.line}: ${result.error.reason}`);
  return result.value;
}

describe('parseZoneinfo over a captured /proc/zoneinfo (snapshots/system-memory/plain)', () => {
  it('every zone of the node, in order', () => {
    expect(zoneinfo().zones.map((zone) => `${zone.node}:${zone.name}`)).toEqual(['0:DMA', '0:DMA32', '0:Normal', '0:Movable', '0:Device']);
  });

  it('a zone: free pages, watermarks, managed pages, protection and its per-CPU lists', () => {
    // sed -n 145,190p: the Normal zone; its two pagesets' count: 4593 and 5899.
    const normal = zoneinfo().zones[2];
    expect(normal).toMatchObject({
      free: 331015, boost: 0, min: 7937, low: 9921, high: 11905, managed: 688128, protection: [0, 0, 0, 0, 0], perCpuFree: 4593 + 5899,
    });
    expect(normal.counters).toMatchObject({ spanned: 5505024, present: 5505024, promo: 13889, nr_free_pages: 331015, nr_zone_active_file: 36124 });
    // The per-CPU `high:` lines are the lists' limits, not the zone's high watermark.
    expect(zoneinfo().zones[0]).toMatchObject({ min: 44, low: 55, high: 66, managed: 3840, protection: [0, 3018, 5706, 5706, 5706], perCpuFree: 0 });
  });

  it('an unpopulated zone has its watermarks and nothing more', () => {
    expect(zoneinfo().zones[3]).toEqual({
      node: 0, name: 'Movable', free: 0, boost: 0, min: 32, low: 32, high: 32, managed: 0, protection: [0, 0, 0, 0, 0], perCpuFree: 0,
      counters: { promo: 32, spanned: 0, present: 0, cma: 0 },
    });
  });

  it('the per-node counters are kept apart from the zones', () => {
    // grep -E '^ +nr_(active_file|inactive_file|anon_pages|shmem) ' (lines 5, 6, 20, 25)
    expect(zoneinfo().nodeCounters).toMatchObject({ nr_active_file: 36124, nr_inactive_file: 28311, nr_anon_pages: 228932, nr_shmem: 2339 });
    expect(zoneinfo().zones[0].counters.nr_active_file).toBeUndefined();
  });

  it('a zone without "managed" (before Linux 3.8) counts its present pages', () => {
    const old = text.replace(/^ +managed +\d+\n/gm, '');
    expect(zoneinfo(old).zones.map((zone) => zone.managed)).toEqual([3998, 782336, 5505024, 0, 0]);
  });

  it('a malformed line is a typed error with its line number', () => {
    const lines = text.split('\n');
    lines[63] = '        protection: 0 3018'; // line 64
    expect(parseZoneinfo(lines.join('\n'))).toEqual({
      ok: false, error: { file: 'zoneinfo', line: 64, text: '        protection: 0 3018', reason: 'expected "key N"' },
    });
  });

  it('text before the first zone, or no zone at all, is not zoneinfo', () => {
    expect(parseZoneinfo('  pages free 3\n')).toMatchObject({ ok: false, error: { line: 1, reason: 'expected "Node N, zone NAME"' } });
    expect(parseZoneinfo('')).toMatchObject({ ok: false, error: { reason: 'no zones' } });
    expect(parseZoneinfo('Node 0, zone DMA\n  pages free 3\n')).toMatchObject({ ok: false, error: { reason: 'a zone without min, low and high watermarks' } });
  });
});
