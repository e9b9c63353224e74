import { deadLetterTopic } from '@stockade/contracts';
import type { IncomingMessage } from '@stockade/messaging';
import type { HandlerFailure } from '@stockade/nest-bus';
import type { Logger } from './logger';

/** The envelope ids that tie a log line to an order across the services (ADR: envelopes carry them). */
interface EnvelopeIds {
  messageId?: string;
  type?: string;
  correlationId?: string;
  causationId?: string;
}

/**
 * What a log line about a message says of it: where it sits on the bus, and, when the value is an
 * envelope, its id, type, correlation id (the order) and causation id (the message that caused
 * it), so `grep <order id>` finds every line about that order in every service's log. Never the
 * value itself: it may hold a payment token.
 */
export function messageLogFields(message: IncomingMessage): Record<string, unknown> {
  return {
    topic: message.topic,
    partition: message.partition,
    offset: message.offset,
    attempt: message.attempt,
    ...envelopeIdsOf(message.value),
  };
}

/** MessageBusServer's failure observer: WARN for a failure the bus retries, ERROR for a dead letter. */
export function logHandlerFailures(logger: Logger): (failure: HandlerFailure) => void {
  return ({ groupId, message, error, deadLettered }) => {
    const fields = { ...messageLogFields(message), group: groupId, err: error };
    if (deadLettered)
      logger.error(fields, `message handler failed; dead-lettered to ${deadLetterTopic(message.topic)}`);
    else logger.warn(fields, 'message handler failed; the bus retries it');
  };
}

function envelopeIdsOf(value: string): EnvelopeIds {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return {};
  }
  if (typeof parsed !== 'object' || parsed === null) return {};
  const ids: EnvelopeIds = {};
  for (const key of ['messageId', 'type', 'correlationId', 'causationId'] as const) {
    const field = (parsed as Record<string, unknown>)[key];
    if (typeof field === 'string') ids[key] = field.slice(0, 200);
  }
  return ids;
}
