/**
 * /proc/PID/oom_score and oom_score_adj (proc(5)): one decimal line each,
 * world-readable. Since Linux 5.9 oom_score is the kernel's badness scaled into
 * 0..2000 against the machine's RAM + swap; oom_score_adj is -1000..1000, and
 * -1000 (OOM_SCORE_ADJ_MIN) makes a process one the OOM killer never picks
 * (its oom_score then reads 0). Anything else is no figure: undefined.
 */
const MAX_OOM_SCORE = 2000;
const OOM_SCORE_ADJ_RANGE = 1000;

export function parseOomScore(text: string): number | undefined {
  const match = /^(\d{1,4})\n?$/.exec(text);
  if (match === null) return undefined;
  const score = Number(match[1]);
  return score <= MAX_OOM_SCORE ? score : undefined;
}

export function parseOomScoreAdj(text: string): number | undefined {
  const match = /^(-?\d{1,4})\n?$/.exec(text);
  if (match === null) return undefined;
  const adj = Number(match[1]);
  return Math.abs(adj) <= OOM_SCORE_ADJ_RANGE ? adj : undefined;
}

/** The adjustment that exempts a process from the OOM killer. */
export const OOM_SCORE_ADJ_MIN = -1000;
