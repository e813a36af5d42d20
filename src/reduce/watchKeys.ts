import { GROUPINGS, type GroupBy } from '../model/report.js';
import { SORT_KEYS, type SortKey } from '../model/sortKeys.js';

/**
 * `footprint watch` on a terminal is a top for memory: keys change how the
 * screen ranks and groups, as htop's and top's do. Pure: the bytes a key sent
 * in, the next view out, and what it asks of the loop (draw again, scan again,
 * quit). The terminal itself (raw mode and its restoring) is cli's.
 */

/** How the screen ranks and groups: --sort, --reverse and --group at the start, then the keys. */
export interface WatchView {
  sort: SortKey;
  reverse: boolean;
  group: GroupBy;
}

/** What the keys pressed ask for. */
export interface KeyOutcome {
  view: WatchView;
  /** q or Ctrl-C. */
  quit: boolean;
  /** The ranking changed: the last scan drawn again, re-ranked. */
  redraw: boolean;
  /** The grouping changed: groups are made by the scan, so a new one is needed (and the change since the start starts again). */
  rescan: boolean;
}

/**
 * The order `s` goes through: the figures the screen has a column for when it
 * ranks by them, then the process count and the name. Pss and Rss rank the report
 * (--sort) but have no column of their own: `s` passes them by.
 */
export const SORT_CYCLE = SORT_KEYS.filter((key) => key !== 'pss' && key !== 'rss') as readonly SortKey[];

/** The keys, as the screen's last line lists them (lower case forward, upper case back). */
export const WATCH_KEYS = [
  { keys: 's/S', does: 'sort' },
  { keys: 'g/G', does: 'group' },
  { keys: 'r', does: 'reverse' },
  { keys: 'q', does: 'quit' },
] as const;

const CTRL_C = '\x03';

/** The next (or, with step -1, the previous) in `cycle` after `current`; a value outside it goes to its first (or last). */
function cycled<T>(cycle: readonly T[], current: T, step: 1 | -1): T {
  const at = cycle.indexOf(current);
  if (at === -1) return cycle[step === 1 ? 0 : cycle.length - 1];
  return cycle[(at + step + cycle.length) % cycle.length];
}

/**
 * The keys in `input` (one read of a raw terminal: one key, or several typed
 * ahead, or an escape sequence such as an arrow's, which is ignored whole),
 * applied in order to `view`. Keys after q are not read.
 */
export function pressKeys(view: WatchView, input: string): KeyOutcome {
  let next = view;
  let redraw = false;
  let rescan = false;
  // An escape sequence (arrows, function keys) carries letters that are not keys.
  const keys = input.replace(/\x1b(\[[0-9;?]*[@-~]|O.|.)?/g, '');
  for (const key of keys) {
    if (key === 'q' || key === CTRL_C) return { view: next, quit: true, redraw, rescan };
    if (key === 's' || key === 'S') {
      next = { ...next, sort: cycled(SORT_CYCLE, next.sort, key === 's' ? 1 : -1) };
      redraw = true;
    } else if (key === 'r') {
      next = { ...next, reverse: !next.reverse };
      redraw = true;
    } else if (key === 'g' || key === 'G') {
      next = { ...next, group: cycled(GROUPINGS, next.group, key === 'g' ? 1 : -1) };
      rescan = true;
    }
  }
  // A grouping pressed twice round to where it was still asks for a scan: harmless, and simpler to reason about.
  return { view: next, quit: false, redraw: redraw || rescan, rescan };
}
