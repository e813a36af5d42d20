import { OOM_SCORE_ADJ_MIN, parseOomScore, parseOomScoreAdj } from '../kernel/procfs/oomScore.js';
import type { ProcReader } from '../kernel/procReader.js';
import type { ReadFailure } from '../kernel/readFailure.js';

export interface OomFacts {
  /** /proc/PID/oom_score; undefined where it could not be read (a captured tree made before capture saved it) or made no sense. */
  oomScore?: number;
  /** true where oom_score_adj is -1000: the OOM killer never picks it. */
  oomExempt?: true;
  /**
   * A file that is crafted, not merely unreadable (a link out of a captured
   * tree, a FIFO, over its cap): the scan takes the process as malformed
   * (readProcessIdentity), as for a crafted name.
   */
  crafted?: ReadFailure;
}

/**
 * A process's oom_score, read like its other files (bounded, through the
 * reader, so capture records it). An unreadable or malformed one leaves the
 * figure unknown: it never stops a scan nor makes the process malformed, since
 * the memory figures do not depend on it. Only a score of 0 can hide
 * oom_score_adj -1000 (the kernel prints 0 for such a process), so only then is
 * oom_score_adj read too: one read more for the few processes that are exempt or idle.
 */
export function readOomScore(reader: ProcReader, pid: number): OomFacts {
  const read = reader.read(`${pid}/oom_score`);
  if (!read.ok && read.reason === 'malformed') return { crafted: read };
  const oomScore = read.ok ? parseOomScore(read.text) : undefined;
  if (oomScore === undefined) return {};
  if (oomScore > 0) return { oomScore };
  const adj = reader.read(`${pid}/oom_score_adj`);
  if (!adj.ok && adj.reason === 'malformed') return { crafted: adj };
  return adj.ok && parseOomScoreAdj(adj.text) === OOM_SCORE_ADJ_MIN ? { oomScore, oomExempt: true } : { oomScore };
}
