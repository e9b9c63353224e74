import type { IncomingMessage, ServerResponse } from 'node:http';

/** The parts of Nest's Fastify request and reply a streaming route needs. */
export interface StreamingRequest {
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly raw: IncomingMessage;
}
export interface StreamingReply {
  readonly raw: ServerResponse;
  hijack(): void;
}

export const wantsEventStream = (request: StreamingRequest): boolean => String(request.headers.accept ?? '').includes('text/event-stream');

/**
 * A Server-Sent Events response written straight to the socket (the reply is hijacked from
 * Fastify). `send` waits for the socket to drain when the client reads slowly, so a slow client
 * slows its producer instead of growing a buffer; `closed` aborts when the client goes away, so
 * the work behind the stream stops too.
 */
export class ServerSentEvents {
  private readonly aborter = new AbortController();
  private readonly heartbeat: NodeJS.Timeout;

  constructor(
    private readonly reply: StreamingReply,
    heartbeatMs = 15_000,
  ) {
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    raw.flushHeaders();
    raw.on('close', () => this.aborter.abort());
    // A comment line now and then keeps proxies from timing out an idle feed.
    this.heartbeat = setInterval(() => raw.write(': keep-alive\n\n'), heartbeatMs);
    this.heartbeat.unref();
  }

  /** Aborts when the client closed the connection. */
  get closed(): AbortSignal {
    return this.aborter.signal;
  }

  async send(event: string, data: unknown, id?: string): Promise<void> {
    if (this.aborter.signal.aborted) return;
    const lines = [`event: ${event}`, ...(id === undefined ? [] : [`id: ${id}`]), `data: ${JSON.stringify(data)}`, '', ''];
    if (!this.reply.raw.write(lines.join('\n'))) await this.drained();
  }

  end(): void {
    clearInterval(this.heartbeat);
    if (!this.reply.raw.writableEnded) this.reply.raw.end();
  }

  private drained(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.reply.raw.off('drain', done);
        this.aborter.signal.removeEventListener('abort', done);
        resolve();
      };
      this.reply.raw.once('drain', done);
      this.aborter.signal.addEventListener('abort', done, { once: true });
    });
  }
}
