import type { Socket } from 'node:net';
import { parseRequestHead, type RequestHead } from './requestHead.js';

export interface Answer {
  status: number;
  headers?: Record<string, string>;
  body: Buffer | string;
}

/** What a handler knows of the connection its request came on. */
export interface RequestContext {
  /** The remote address (the raw socket's, under TLS too). */
  address: string;
  /** Aborted once the connection has closed: work for it may be dropped. */
  signal: AbortSignal;
  /**
   * The request is let in and its answer is being made (the scan runs): from
   * now on the connection is not shed to make room for another, and has no
   * deadline. Before (while its password is checked), it is shed like any.
   */
  preparing: () => void;
}

export type RequestHandler = (head: RequestHead, context: RequestContext) => Promise<Answer>;

export interface ConnectionTimeouts {
  /** From the connection's start (TLS handshake included), or the first byte of a request, to the end of its head. */
  headMs: number;
  /** A keep-alive connection may wait this long for its next request. */
  idleMs: number;
  /** An answer must have drained into the kernel within this, or the client is not reading it. */
  drainMs: number;
}

/** The statuses serve answers with (node:http's table would load all of node:http). */
const REASONS: Record<number, string> = {
  200: 'OK', 400: 'Bad Request', 401: 'Unauthorized', 404: 'Not Found', 405: 'Method Not Allowed', 429: 'Too Many Requests',
  431: 'Request Header Fields Too Large', 500: 'Internal Server Error', 503: 'Service Unavailable', 505: 'HTTP Version Not Supported',
};

/**
 * Pipelined requests may wait behind an answer up to this many bytes (400
 * scrapes' worth); a client that queues more is not a scraper, and is closed.
 * Node reads a socket in chunks of up to 64 KiB and one more after a pause, so
 * without this a client that sends without reading would hold 128 KiB here.
 */
export const MAX_QUEUED_BYTES = 16 * 1024;

/**
 * Answers in a row whose next request had already come before the answer was
 * out (pipelining): the last of them says `Connection: close`, as RFC 9112,
 * 9.3.2 lets a server do, and a client that means well asks again on a new
 * connection. What drains is written into the kernel's send buffer, which Linux
 * grows to megabytes however little the client reads (2.8 MB each, measured on
 * loopback): this bounds what one client can park there.
 */
export const MAX_PIPELINED = 16;

/**
 * One HTTP/1.1 connection, answered one request at a time: while an answer is
 * being made or has not yet drained into the kernel, the socket is paused and
 * the pipelined requests behind it stay unparsed bytes (at most a read or two).
 * A client that sends without reading thus holds one answer, never thousands.
 * Requests with a body are answered and the connection closed (serve takes
 * none, and this way none is ever parsed).
 */
export class HttpConnection {
  /** When this connection is to be closed unless it makes progress (ms since the epoch); Infinity while its answer is being made. */
  deadline: number;
  /** The answer is being made (the scan runs): not to be shed to make room for another connection. */
  preparing = false;
  /** A request has been let in on this connection (past basic auth, if any): it is shed after strangers. */
  known = false;
  private pending: Buffer = Buffer.alloc(0);
  private answering = false;
  private peerEnded = false;
  private closed = false;
  /** A request has started arriving (some byte of it is here): its head is due by `deadline`. */
  private headStarted = false;
  /** Answers in a row that found the next request already waiting. */
  private pipelined = 0;
  private readonly gone = new AbortController();
  private readonly context: RequestContext;

  constructor(
    readonly socket: Socket,
    private readonly handle: RequestHandler,
    private readonly timeouts: ConnectionTimeouts,
    private readonly onActive: () => void,
    address: string,
    /** Runs the answer to a pipelined request in a later turn of the event loop (answerTurns.ts: a few per turn, for all connections). */
    private readonly later: (work: () => void) => void = (work) => void setImmediate(work),
    private readonly now: () => number = Date.now,
  ) {
    this.deadline = now() + timeouts.headMs;
    this.context = {
      address,
      signal: this.gone.signal,
      preparing: () => {
        if (this.closed || !this.answering) return;
        this.preparing = true;
        this.known = true;
        this.deadline = Infinity;
      },
    };
    socket.on('data', (chunk: Buffer) => this.received(chunk));
    socket.on('end', () => {
      this.peerEnded = true;
      this.next();
    });
    socket.on('error', () => this.destroy());
    socket.on('close', () => {
      this.closed = true;
      this.gone.abort();
    });
  }

  destroy(): void {
    this.closed = true;
    this.gone.abort();
    this.socket.destroy();
  }

  /** Ends our side; a peer that never closes its own is closed by the sweep. */
  private finish(): void {
    this.closed = true;
    this.deadline = this.now() + this.timeouts.idleMs;
    this.pending = Buffer.alloc(0);
    this.socket.end();
  }

  private received(chunk: Buffer): void {
    // Ending: what more the client sends is not read into memory.
    if (this.closed) return;
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    if (this.answering && this.pending.length > MAX_QUEUED_BYTES) return this.destroy();
    if (!this.headStarted) {
      this.headStarted = true;
      if (!this.answering) this.deadline = this.now() + this.timeouts.headMs;
    }
    this.next();
  }

  /** Answers the next complete request, if there is one and no answer is out. */
  private next(): void {
    if (this.answering || this.closed) return;
    if (this.pending.length === 0) {
      if (this.peerEnded) this.finish();
      else this.socket.resume();
      return;
    }
    const parsed = parseRequestHead(this.pending);
    if (parsed.kind === 'incomplete') {
      // Half a request and no more to come: nothing to answer.
      if (this.peerEnded) this.destroy();
      else this.socket.resume();
      return;
    }
    if (parsed.kind === 'bad') {
      this.pending = Buffer.alloc(0);
      this.answer({ status: parsed.status, body: `${parsed.reason}\n` }, false, true);
      return;
    }
    this.pending = this.pending.subarray(parsed.length);
    if (this.pending.length > MAX_QUEUED_BYTES) return this.destroy();
    this.headStarted = this.pending.some((byte) => byte !== 0x0d && byte !== 0x0a);
    const { head } = parsed;
    const tokens = (head.headers.get('connection') ?? '').toLowerCase().split(',').map((token) => token.trim());
    const hasBody = head.headers.has('transfer-encoding') || (head.headers.get('content-length') ?? '0') !== '0';
    // HTTP/1.1 keeps the connection unless told not to; 1.0 only when asked to.
    const close = hasBody || this.peerEnded || tokens.includes('close') || (head.minorVersion === 0 && !tokens.includes('keep-alive'))
      || this.pipelined >= MAX_PIPELINED - 1;
    if (hasBody) this.pending = Buffer.alloc(0);
    this.answering = true;
    this.socket.pause();
    // Until the handler says it is preparing the answer (the request is let in), the head's
    // deadline holds: a password check that waits longer is work for a client to drop.
    this.deadline = this.now() + this.timeouts.headMs;
    this.onActive();
    void this.handle(head, this.context).then(
      (answer) => this.answer(answer, head.method === 'HEAD', close),
      (error: unknown) => this.answer({ status: 500, body: `${error instanceof Error ? error.message.split('\n')[0] : String(error)}\n` }, head.method === 'HEAD', close),
    );
  }

  private answer(answer: Answer, head: boolean, close: boolean): void {
    this.answering = true;
    this.preparing = false;
    if (this.closed) return;
    this.socket.pause();
    const body = typeof answer.body === 'string' ? Buffer.from(answer.body) : answer.body;
    const fields = {
      Date: new Date(this.now()).toUTCString(),
      'Content-Length': String(body.length),
      Connection: close ? 'close' : 'keep-alive',
      ...(close ? {} : { 'Keep-Alive': `timeout=${Math.floor(this.timeouts.idleMs / 1000)}` }),
      ...answer.headers,
    };
    const text = `HTTP/1.1 ${answer.status} ${REASONS[answer.status] ?? 'Unknown'}\r\n${Object.entries(fields).map(([name, value]) => `${name}: ${value}\r\n`).join('')}\r\n`;
    this.deadline = this.now() + this.timeouts.drainMs;
    const drained = (error?: Error | null) => {
      if (error) return this.destroy();
      this.answering = false;
      this.onActive();
      if (close) return this.finish();
      this.pipelined = this.headStarted ? this.pipelined + 1 : 0;
      this.deadline = this.now() + (this.headStarted ? this.timeouts.headMs : this.timeouts.idleMs);
      // A write that went straight into the kernel calls back at once: without a turn of the
      // event loop here, one client's pipeline would be answered to the end before anyone else.
      this.later(() => this.next());
    };
    this.socket.cork();
    if (head || body.length === 0) {
      this.socket.write(text, 'latin1', drained);
    } else {
      this.socket.write(text, 'latin1');
      this.socket.write(body, drained);
    }
    this.socket.uncork();
  }
}
