import { Redis } from 'ioredis';

export interface ConnectRedisOptions {
  /** Receives connection errors (ioredis emits them as events; unheard, they are only logged). */
  readonly onError: (error: Error) => void;
  /** First reconnect delay; doubles per attempt. Default 100 ms. */
  readonly reconnectBaseDelayMs?: number;
  /** Longest reconnect delay, so a long outage is retried at a steady pace. Default 3000 ms. */
  readonly reconnectMaxDelayMs?: number;
  /**
   * Reconnect attempts a queued command waits through before it fails (and the repository
   * turns it into a retriable UNAVAILABLE). Default 5: with the default delays a request
   * survives about 3 s without Redis, longer than a restart or failover, short enough for HTTP.
   */
  readonly maxRetriesPerRequest?: number;
  /** Default 5000 ms. */
  readonly connectTimeoutMs?: number;
}

/** Capped exponential backoff: attempt 1 waits `baseMs`, then 2×, 4×, … up to `maxMs`. */
export function reconnectDelay(attempt: number, baseMs = 100, maxMs = 3000): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
}

/**
 * An ioredis client for Stockade. It connects at once (lazyConnect false) and never gives up
 * reconnecting. Commands issued while the connection is down wait in the offline queue and
 * run after the reconnect, and commands already sent when it dropped are resent
 * (autoResendUnfulfilledCommands), so work we are asked to do is not lost to a brief blip;
 * our Lua writes are written so that such a resend is harmless. A replica promoted during a
 * failover answers READONLY: reconnect and resend then too.
 */
export function connectRedis(url: string, options: ConnectRedisOptions): Redis {
  const redis = new Redis(url, {
    lazyConnect: false,
    enableOfflineQueue: true,
    enableReadyCheck: true,
    autoResendUnfulfilledCommands: true,
    maxRetriesPerRequest: options.maxRetriesPerRequest ?? 5,
    connectTimeout: options.connectTimeoutMs ?? 5000,
    retryStrategy: (attempt) => reconnectDelay(attempt, options.reconnectBaseDelayMs, options.reconnectMaxDelayMs),
    reconnectOnError: (error) => (error.message.startsWith('READONLY') ? 2 : false),
  });
  redis.on('error', options.onError);
  return redis;
}
