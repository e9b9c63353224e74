import { isOutage, isRetriable, StockadeError } from '@stockade/kernel';
import type { Clock } from '@stockade/kernel';
import type { IncomingMessage, MessageHandler } from '../message-bus';
import type { StoredMessage } from '../log/message-log';
import type { StopSignal } from './stop-signal';

/** Longest wait between two attempts, whatever retryBackoffMs and maxAttempts say. */
const MAX_BACKOFF_MS = 30_000;
/** Longest wait between two attempts while a dependency is down: short, so recovery follows its return closely. */
const MAX_OUTAGE_BACKOFF_MS = 2_000;

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

/**
 * Delivers one message until its handler succeeds, it is dead-lettered, or the subscription
 * stops. An outage (a dependency the handler needs is down: the broker, the event store, Redis)
 * is not the message's fault, so it never uses up the message's attempts: dead-lettering a
 * valid checkout because PostgreSQL restarted for three seconds would take it out of the flow
 * (the harness found exactly that around a broker restart). Those attempts go on, backing off up
 * to MAX_OUTAGE_BACKOFF_MS, until the dependency is back; lag and readiness show the wait.
 */
export async function deliverWithRetries(message: StoredMessage, policy: DeliveryPolicy): Promise<DeliveryOutcome> {
  let failures = 0;
  for (let attempt = 1; ; attempt++) {
    try {
      await policy.handler(incoming(message, attempt));
      return 'handled';
    } catch (error) {
      const outage = isOutage(error);
      if (!outage) failures++;
      if (!outage && isLastAttempt(error, failures, policy.maxAttempts)) {
        await policy.deadLetter(message, error, attempt, policy.clock.now());
        return 'dead-lettered';
      }
      const backoff = Math.min(
        policy.retryBackoffMs * 2 ** (attempt - 1),
        outage ? MAX_OUTAGE_BACKOFF_MS : MAX_BACKOFF_MS,
      );
      if (!(await policy.stop.pause(backoff))) return 'abandoned';
    }
  }
}

/**
 * True when a handler failure ends the message's delivery: it goes to `<topic>.dlq` instead of
 * being retried. An outage never does (see deliverWithRetries). Exported so a handler's
 * observer (logs) can say which of the two happens.
 */
export function isLastAttempt(error: unknown, attempt: number, maxAttempts: number = SUBSCRIBE_MAX_ATTEMPTS): boolean {
  if (isOutage(error)) return false;
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
