import type { EventStore } from '@stockade/event-store';
import { EventLogRelay, EventLogRelayOptions, MessageBus } from '@stockade/messaging';
import type { HealthDetails } from '@stockade/api';
import type { Logger } from '../logger';

export interface OutboxRelaySettings {
  readonly name: string;
  readonly streamPrefixes: readonly string[];
  readonly map: EventLogRelayOptions['map'];
  readonly latestPerKeyTopics?: readonly string[];
}

/** A service's outbox: the relay from its store's global log to the bus, logging (and retrying) failed pages. */
export function outboxRelay(store: EventStore, bus: MessageBus, logger: Logger, settings: OutboxRelaySettings): EventLogRelay {
  return new EventLogRelay({
    name: settings.name,
    store,
    bus,
    streamPrefixes: settings.streamPrefixes,
    map: settings.map,
    latestPerKeyTopics: settings.latestPerKeyTopics ?? [],
    onError: (error) => logger.warn({ err: error, relay: settings.name }, 'outbox relay page failed; retrying'),
  });
}

/** The readiness check of an event store: its head position answers. */
export function eventStoreCheck(store: EventStore): () => Promise<HealthDetails> {
  return async () => ({ events: await store.headPosition() });
}
