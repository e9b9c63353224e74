import { randomUUID } from 'node:crypto';
import type { CommandMetadata } from '../outcomes';

/** Command metadata for tests: the command id is the only thing that matters for idempotency. */
export function commandMeta(commandId: string, correlationId = 'test'): CommandMetadata {
  return { commandId, correlationId, causationId: commandId };
}

/** A SKU no other test uses, so tests never share streams. */
export function randomSku(prefix = 'SKU'): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

export function randomCheckoutId(prefix = 'checkout'): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}
