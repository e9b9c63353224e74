import { createHash } from 'node:crypto';

/**
 * Deterministic ids: the same inputs give the same UUID-shaped id, so an event or message
 * derived from a redelivered command gets the id it had the first time (idempotency).
 */
export function deterministicId(...parts: readonly string[]): string {
  const hex = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${((parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
