import { parsed, parseFailure, type Parsed } from '../procfs/parseResult.js';
import { parseFlatKeyed } from './flatKeyed.js';

/** OOM figures of a cgroup and its descendants: v2 memory.events, v1 memory.oom_control. */
export interface OomEvents {
  /** Processes the OOM killer killed (v2 oom_kill; v1 oom_kill, 4.13+). */
  oomKills?: number;
  /** v2: times the cgroup hit its limit and the OOM killer was about to run. */
  ooms?: number;
  /** v2: times usage went over memory.high (throttled), and over memory.max (reclaim). */
  high?: number;
  max?: number;
  /** v1: processes wait instead of being killed (oom_kill_disable), and whether it is out of memory now. */
  killDisabled?: boolean;
  underOom?: boolean;
}

/** memory.events (v2): low, high, max, oom, oom_kill, oom_group_kill (5.17+). */
export function parseMemoryEvents(text: string): Parsed<OomEvents> {
  const flat = parseFlatKeyed('memory.events', text);
  if (!flat.ok) return flat;
  const { values } = flat.value;
  if (!('oom' in values) || !('max' in values)) return parseFailure('memory.events', 1, text.split('\n')[0] ?? '', 'no "oom" or "max" (not memory.events)');
  return parsed({ oomKills: values.oom_kill, ooms: values.oom, high: values.high, max: values.max });
}

/** memory.oom_control (v1): oom_kill_disable, under_oom, and oom_kill since 4.13. */
export function parseOomControl(text: string): Parsed<OomEvents> {
  const flat = parseFlatKeyed('memory.oom_control', text);
  if (!flat.ok) return flat;
  const { values } = flat.value;
  if (!('oom_kill_disable' in values) || !('under_oom' in values)) {
    return parseFailure('memory.oom_control', 1, text.split('\n')[0] ?? '', 'no "oom_kill_disable" or "under_oom"');
  }
  return parsed({ oomKills: values.oom_kill, killDisabled: values.oom_kill_disable === 1, underOom: values.under_oom === 1 });
}
