import { isRetriable, StockadeError } from '@stockade/kernel';
import type { Clock } from '@stockade/kernel';
import type { IncomingMessage, MessageHandler } from '../message-bus';
import type { StoredMessage } from '../log/message-log';
import type { StopSignal } from './stop-signal';

/** Longest wait between two attempts, whatever retryBackoffMs and maxAttempts say. */
const MAX_BACKOFF_MS = 30_000;

export interface DeliveryPolicy {
  readonly groupId: string;
  readonly handler: MessageHandler;
  readonly maxAttempts: number;
  readonly retryBackoffMs: number;
  readonly clock: Clock;
  readonly stop: StopSignal;
  /** Writes the dead letter; the message counts as done only once this resolved. */
  readonly deadLetter: (message: StoredMessage, error: unknown, attempts: number, failedAt: Date) => Promise<void>;
}

/** `abandoned`: the subscription closed while the message waited for a retry; it stays uncommitted. */
export type DeliveryOutcome = 'handled' | 'dead-lettered' | 'abandoned';

export async function deliverWithRetries(message: StoredMessage, policy: DeliveryPolicy): Promise<DeliveryOutcome> {
  for (let attempt = 1; ; attempt++) {
    try {
      await policy.handler(incoming(message, attempt));
      return 'handled';
    } catch (error) {
      if (isLastAttempt(error, attempt, policy.maxAttempts)) {
        await policy.deadLetter(message, error, attempt, policy.clock.now());
        return 'dead-lettered';
      }
      const backoff = Math.min(policy.retryBackoffMs * 2 ** (attempt - 1), MAX_BACKOFF_MS);
      if (!(await policy.stop.pause(backoff))) return 'abandoned';
    }
  }
}

/**
 * True when a handler failure ends the message's delivery: it goes to `<topic>.dlq` instead of
 * being retried. Exported so a handler's observer (logs) can say which of the two happens.
 */
export function isLastAttempt(error: unknown, attempt: number, maxAttempts: number = SUBSCRIBE_MAX_ATTEMPTS): boolean {
  return !isWorthRetrying(error) || attempt >= Math.max(1, maxAttempts);
}

/** The default of SubscribeOptions.maxAttempts. */
export const SUBSCRIBE_MAX_ATTEMPTS = 5;

/**
 * Our own errors say whether they are worth retrying. Anything else (a TypeError, a driver's
 * "database is locked") is unexpected, so it gets the benefit of the doubt: retried, and
 * dead-lettered only when it keeps failing.
 */
function isWorthRetrying(error: unknown): boolean {
  return error instanceof StockadeError ? isRetriable(error) : true;
}

function incoming(message: StoredMessage, attempt: number): IncomingMessage {
  return {
    topic: message.topic,
    partition: message.partition,
    offset: String(message.offset),
    key: message.key,
    value: message.value,
    headers: message.headers,
    attempt,
  };
}
