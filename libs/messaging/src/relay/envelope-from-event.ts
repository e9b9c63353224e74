import type { Envelope } from '@stockade/contracts';
import type { RecordedEvent } from '@stockade/event-store';

/**
 * The integration envelope for a stored event. The message id is the event id, so a relay
 * that republishes after a crash sends the same id and consumers can drop the duplicate.
 * `data` defaults to the event's own data; pass a mapped shape to keep internal fields private.
 */
export function envelopeFromEvent<Type extends string, Data = unknown>(
  event: RecordedEvent,
  type: Type,
  data?: Data,
): Envelope<Type, Data> {
  return {
    messageId: event.id,
    type,
    correlationId: event.metadata.correlationId,
    causationId: event.metadata.causationId,
    occurredAt: event.metadata.occurredAt,
    data: (data === undefined ? event.data : data) as Data,
  };
}
