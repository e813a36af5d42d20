/**
 * One scan at a time, shared: a scrape that comes while a scan runs waits for
 * that scan instead of starting its own, and scrapes closer together than
 * `minIntervalMs` share the last one (0: every scrape scans, unless one is
 * already running). A scan that failed is not kept: the next scrape tries again.
 */
export class ScanCache<T> {
  private running: Promise<T> | undefined;
  private last: { value: T; atMs: number } | undefined;

  constructor(private readonly scan: () => Promise<T>, private readonly minIntervalMs: number, private readonly now = () => Date.now()) {}

  get(): Promise<T> {
    if (this.running !== undefined) return this.running;
    if (this.last !== undefined && this.now() - this.last.atMs < this.minIntervalMs) return Promise.resolve(this.last.value);
    const running = (async () => {
      try {
        const value = await this.scan();
        this.last = { value, atMs: this.now() };
        return value;
      } finally {
        this.running = undefined;
      }
    })();
    this.running = running;
    return running;
  }
}
