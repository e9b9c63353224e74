import { LIMITS } from '@stockade/contracts';
import { ValidationError } from '@stockade/kernel';
import type { RawData, WebSocket } from 'ws';
import { RateLimited } from './access.guard';
import { errorResponseFor } from './error-responses';
import { LiveLevel, LiveStockLevels, LiveSubscription, StreamOwner } from './live-stock';
import { LiveStockServerFrame, parseClientFrame } from './live-stock-socket-protocol';

/** Close codes a client can act on (RFC 6455 §7.4.1). */
export const CLOSE_CODES = {
  /** The server is stopping: reconnect to another instance, or later. */
  goingAway: 1001,
  /** The client kept sending frames it was told were wrong. */
  policyViolation: 1008,
  /** The live-stream pool, or the caller's share of it, is full: try again later. */
  tryAgainLater: 1013,
} as const;

export interface LiveStockSocketOptions {
  readonly live: LiveStockLevels;
  readonly owner: StreamOwner;
  /** Takes one request from the caller's rate limit for each frame it sends (the access gate's buckets). */
  readonly charge: () => { granted: number; retryAfterS: number };
  /** Bytes queued for the client past which the server waits for them to drain, coalescing meanwhile; default 64 KiB. */
  readonly highWaterBytes?: number;
  /** Refused frames after which the connection is closed (1008); default 5. */
  readonly maxRefusedFrames?: number;
  /** How often the server pings; a client that has not answered the previous ping is cut off. Default 30 s. */
  readonly keepAliveMs?: number;
}

/**
 * One client of the live stock WebSocket: one stream of the process's live-stream pool, following
 * the SKUs it subscribes to. Levels go through the pool's coalescing mailbox: while the socket holds
 * more than `highWaterBytes` the server waits for it to drain, and newer levels of a SKU replace
 * older ones meanwhile, so a slow client costs at most one level per SKU it follows.
 */
export function serveLiveStockSocket(socket: WebSocket, options: LiveStockSocketOptions): void {
  const { highWaterBytes = 64 * 1024, maxRefusedFrames = 5, keepAliveMs = 30_000 } = options;
  const closed = new AbortController();
  const send = (frame: LiveStockServerFrame, written?: () => void) => {
    if (socket.readyState !== socket.OPEN) return written?.();
    socket.send(JSON.stringify(frame), () => written?.());
  };
  const write = (level: LiveLevel) =>
    new Promise<void>((resolve) => {
      send({ type: 'level', level }, resolve);
      if (socket.bufferedAmount <= highWaterBytes) resolve();
      else closed.signal.addEventListener('abort', () => resolve(), { once: true });
    });

  let subscription: LiveSubscription;
  try {
    subscription = options.live.subscribe({ write, closed: closed.signal }, options.owner);
  } catch (error) {
    // The pool filled up between the handshake's check and now.
    refuse(error);
    socket.close(CLOSE_CODES.tryAgainLater, 'too many live streams');
    return;
  }

  let refused = 0;
  let answeredPing = true;
  const keepAlive = setInterval(() => {
    if (!answeredPing) return socket.terminate();
    answeredPing = false;
    socket.ping();
  }, keepAliveMs);
  keepAlive.unref();
  socket.on('pong', () => (answeredPing = true));
  socket.once('close', () => {
    clearInterval(keepAlive);
    closed.abort();
  });

  socket.on('message', (data: RawData, isBinary: boolean) => {
    answeredPing = true;
    try {
      if (isBinary) throw new ValidationError([{ field: '(frame)', message: 'must be a text frame' }]);
      const { granted, retryAfterS } = options.charge();
      if (granted < 1) throw new RateLimited(retryAfterS);
      const frame = parseClientFrame(textOf(data));
      switch (frame.type) {
        case 'subscribe':
          return follow(frame.skus);
        case 'unsubscribe':
          subscription.unfollow(frame.skus);
          return send({ type: 'subscribed', skus: subscription.following() });
        case 'ping':
          return send({ type: 'pong' });
        default:
          return assertNever(frame);
      }
    } catch (error) {
      refuse(error);
      if (++refused >= maxRefusedFrames) socket.close(CLOSE_CODES.policyViolation, 'too many refused frames');
    }
  });

  function follow(skus: readonly string[]): void {
    const wanted = new Set([...subscription.following(), ...skus]);
    if (wanted.size > LIMITS.maxLiveSkus) {
      throw new ValidationError([
        {
          field: 'skus',
          message: `would follow ${wanted.size} SKUs; at most ${LIMITS.maxLiveSkus} at once (unsubscribe some first)`,
        },
      ]);
    }
    send({ type: 'subscribed', skus: [...wanted] });
    // The new SKUs' current levels follow through the mailbox, ahead of any later change.
    subscription.follow(skus).catch((error: unknown) => {
      subscription.unfollow(skus);
      refuse(error);
    });
  }

  function refuse(error: unknown): void {
    const { body } = errorResponseFor(error);
    const retryAfterS = (error as { retryAfterS?: unknown }).retryAfterS;
    send({
      type: 'error',
      ...(body as { error: string; message: string }),
      ...(typeof retryAfterS === 'number' ? { retryAfterS } : {}),
    });
  }
}

function textOf(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data as ArrayBuffer).toString('utf8');
}

function assertNever(value: never): never {
  throw new Error(`unexpected frame ${JSON.stringify(value)}`);
}
