/** The gaps between samples in bounded memory: a count per whole millisecond, enough for an exact median. */
export class GapTally {
  private readonly counts = new Map<number, number>();
  private total = 0;
  longest = 0;
  private last: number | undefined;

  add(ms: number): void {
    if (this.last !== undefined) {
      const gap = ms - this.last;
      this.counts.set(gap, (this.counts.get(gap) ?? 0) + 1);
      this.total++;
      this.longest = Math.max(this.longest, gap);
    }
    this.last = ms;
  }

  median(): number {
    if (this.total === 0) return 0;
    const sorted = [...this.counts].sort((a, b) => a[0] - b[0]);
    const middle = Math.floor((this.total - 1) / 2);
    let seen = 0;
    for (const [gap, count] of sorted) {
      seen += count;
      if (seen > middle) return gap;
    }
    return 0;
  }
}
