import type { IncomingMessage, ServerResponse } from 'node:http';
import { BeforeApplicationShutdown, Injectable } from '@nestjs/common';

/** The parts of Nest's Fastify request and reply a streaming route needs. */
export interface StreamingRequest {
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly raw: IncomingMessage;
}
export interface StreamingReply {
  readonly raw: ServerResponse;
  hijack(): void;
}

export const wantsEventStream = (request: StreamingRequest): boolean =>
  String(request.headers.accept ?? '').includes('text/event-stream');

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
    private readonly registry?: OpenEventStreams,
    heartbeatMs = 15_000,
  ) {
    reply.hijack();
    registry?.add(this);
    const raw = reply.raw;
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
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
    const lines = [
      `event: ${event}`,
      ...(id === undefined ? [] : [`id: ${id}`]),
      `data: ${JSON.stringify(data)}`,
      '',
      '',
    ];
    if (!this.reply.raw.write(lines.join('\n'))) await this.drained();
  }

  end(): void {
    clearInterval(this.heartbeat);
    this.registry?.delete(this);
    if (!this.reply.raw.writableEnded) this.reply.raw.end();
  }

  /** The server is stopping: the work behind the stream stops (its signal aborts) and the connection closes. */
  shutDown(): void {
    this.aborter.abort();
    this.end();
    this.reply.raw.socket?.destroy();
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

/**
 * The event streams an HTTP app has open. A stream never ends by itself (a dashboard keeps it
 * open for hours), and the HTTP server's graceful close waits for every connection: without this,
 * stopping with a browser tab open would wait forever. Before the server closes, each stream is ended.
 */
@Injectable()
export class OpenEventStreams implements BeforeApplicationShutdown {
  private readonly open = new Set<ServerSentEvents>();

  get size(): number {
    return this.open.size;
  }

  add(events: ServerSentEvents): void {
    this.open.add(events);
  }

  delete(events: ServerSentEvents): void {
    this.open.delete(events);
  }

  beforeApplicationShutdown(): void {
    for (const events of [...this.open]) events.shutDown();
  }
}
