import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { connectRedis } from '../connect-redis';

/** The shared test server: other suites use it too, so tests own only their random prefix. */
export const TEST_REDIS_URL = process.env['STOCKADE_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

export function randomKeyPrefix(what: string): string {
  return `test:${what}:${randomUUID()}:`;
}

/** A client whose connection errors are collected instead of logged (a killed connection reports one). */
export function testClient(): { redis: Redis; errors: Error[] } {
  const errors: Error[] = [];
  return { redis: connectRedis(TEST_REDIS_URL, { onError: (error) => errors.push(error) }), errors };
}

/** Removes this test's keys (never FLUSHALL: the server is shared). */
export async function deleteKeysWithPrefix(redis: Redis, prefix: string): Promise<void> {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
}
