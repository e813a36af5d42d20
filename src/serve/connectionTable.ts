/**
 * The open connections, least recently active first, counted in all and per
 * remote address, so that a new connection past a cap closes the connection
 * that has done least lately (a keep-alive connection left idle, a half-sent
 * request, a client that does not read its answer) instead of being refused.
 * A connection waiting for its own answer is never the one closed: shedding it
 * would punish a scrape for the scan's time. A stranger's connection (one that
 * no request has been let in on yet: a handshake, a password being checked)
 * goes before a known one, so that guessers shed each other, not the scraper
 * between its scrapes.
 */
export class ConnectionTable<T> {
  /** Connection to remote address; a Map keeps insertion order, and touch() re-inserts: the first entry is the least recently active. */
  private readonly all = new Map<T, string>();
  private readonly byAddress = new Map<string, Map<T, true>>();

  constructor(
    private readonly maxTotal: number,
    private readonly maxPerAddress: number,
    private readonly closable: (connection: T) => boolean,
    private readonly known: (connection: T) => boolean = () => false,
  ) {}

  get size(): number {
    return this.all.size;
  }

  /**
   * Makes room for a connection from `address`, then adds it. Returns the
   * connections to close for it (already removed from the table), or
   * `undefined` when no room can be made: every connection that stands in the
   * way is waiting for its answer, and the new one is to be closed instead.
   */
  add(connection: T, address: string): T[] | undefined {
    const closing: T[] = [];
    const peers = this.byAddress.get(address);
    if (peers !== undefined && peers.size >= this.maxPerAddress) {
      const victim = this.leastActive(() => peers.keys());
      if (victim === undefined) return undefined;
      closing.push(victim);
      this.remove(victim);
    }
    if (this.all.size >= this.maxTotal) {
      const victim = this.leastActive(() => this.all.keys());
      if (victim === undefined) return undefined;
      closing.push(victim);
      this.remove(victim);
    }
    this.all.set(connection, address);
    const group = this.byAddress.get(address) ?? new Map<T, true>();
    group.set(connection, true);
    this.byAddress.set(address, group);
    return closing;
  }

  /** The connection did something (a request arrived, an answer drained): it is the most recently active now. */
  touch(connection: T): void {
    const address = this.all.get(connection);
    if (address === undefined) return;
    this.all.delete(connection);
    this.all.set(connection, address);
    const group = this.byAddress.get(address)!;
    group.delete(connection);
    group.set(connection, true);
  }

  remove(connection: T): void {
    const address = this.all.get(connection);
    if (address === undefined) return;
    this.all.delete(connection);
    const group = this.byAddress.get(address)!;
    group.delete(connection);
    if (group.size === 0) this.byAddress.delete(address);
  }

  connections(): IterableIterator<T> {
    return this.all.keys();
  }

  /** The least recently active stranger that may be closed, else the least recently active known one. */
  private leastActive(candidates: () => IterableIterator<T>): T | undefined {
    let fallback: T | undefined;
    for (const candidate of candidates()) {
      if (!this.closable(candidate)) continue;
      if (!this.known(candidate)) return candidate;
      fallback ??= candidate;
    }
    return fallback;
  }
}
