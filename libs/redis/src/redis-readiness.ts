import type { Redis } from 'ioredis';

export interface RedisReadiness {
  readonly ready: boolean;
  readonly details: Record<string, string>;
}

/**
 * A readiness check for the health endpoint: ready when the client is connected and a PING
 * answers within `timeoutMs`. A disconnected client answers at once rather than queueing the
 * PING behind a reconnect, so the probe never hangs longer than the orchestrator waits.
 */
export function redisReadinessCheck(redis: Redis, timeoutMs = 1000): () => Promise<RedisReadiness> {
  return async () => {
    if (redis.status !== 'ready') return { ready: false, details: { redis: redis.status } };
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<string>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    try {
      const answer = await Promise.race([redis.ping(), timeout]);
      return answer === 'PONG'
        ? { ready: true, details: { redis: 'ok' } }
        : { ready: false, details: { redis: answer } };
    } catch (error) {
      return { ready: false, details: { redis: error instanceof Error ? error.message : String(error) } };
    } finally {
      clearTimeout(timer);
    }
  };
}
