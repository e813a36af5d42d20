/**
 * Which processes a view read and which it left out, by reason: without root,
 * other users' smaps, maps and fd/ refuse (denied); a process may exit while
 * it is read (gone). The shell counts them; the views say so in one line.
 */
export interface ProcessCoverage {
  /** Processes whose mappings (and, for shmem, descriptors) were read. */
  read: number;
  /** Left out, by reason ("denied", "gone", ...), in the order to print. */
  skipped: { reason: string; count: number }[];
}

/** "Read 41 processes; left out 120 (denied 118, gone 2): run as root to see them all." — or just the count read. */
export function describeCoverage(coverage: ProcessCoverage): string {
  const read = `Read ${coverage.read} process${coverage.read === 1 ? '' : 'es'}`;
  const skipped = coverage.skipped.filter((part) => part.count > 0);
  const left = skipped.reduce((sum, part) => sum + part.count, 0);
  if (left === 0) return `${read}.`;
  const parts = skipped.map((part) => `${part.reason} ${part.count}`).join(', ');
  const hint = skipped.some((part) => part.reason === 'denied') ? ': other users\' processes need root (or CAP_SYS_PTRACE)' : '';
  return `${read}; left out ${left} (${parts})${hint}.`;
}
