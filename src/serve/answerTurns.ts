/**
 * Pipelined answers taken a few per turn of the event loop, in the order they
 * became due. libuv (1.46, Node 20) accepts one connection per turn: a new
 * connection waits in the kernel's accept queue behind every connection queued
 * before it, one turn each. When each turn also answered the next pipelined
 * request of every connection (100 clients pipelining, 16 KB per answer), a
 * turn took 10-50 ms on a busy machine and a real scrape queued behind 70
 * connections waited 1.5-3.6 s to be accepted (strace: one accept4 per
 * epoll_pwait). A few answers per turn keep each turn short, so the accept
 * queue drains; the pipeliners wait their turn instead.
 */
export class AnswerTurns {
  private readonly due: (() => void)[] = [];
  private scheduled = false;

  constructor(
    private readonly perTurn: number,
    private readonly nextTurn: (run: () => void) => void = (run) => void setImmediate(run),
  ) {}

  /** How many answers wait for a turn. */
  get waiting(): number {
    return this.due.length;
  }

  /** `work` runs in a later turn, after what was added before it. */
  add(work: () => void): void {
    this.due.push(work);
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled || this.due.length === 0) return;
    this.scheduled = true;
    this.nextTurn(() => this.run());
  }

  private run(): void {
    this.scheduled = false;
    for (const work of this.due.splice(0, this.perTurn)) work();
    this.schedule();
  }
}

/** Answers per turn: measured with 100 clients pipelining on a machine whose two cores run busy loops (bench/serve.mjs). */
export const ANSWERS_PER_TURN = 8;
