import type { EventStore } from '@stockade/event-store';
import { EventLogRelay, EventLogRelayOptions, MessageBus } from '@stockade/messaging';
import type { HealthRegistry } from '@stockade/api';
import type { Logger } from '../logger';
import type { StockadeMetrics } from '../metrics';
import type { Tracer } from '@opentelemetry/api';
import { relayingTraceContext, withTracedPublishes } from '../tracing/trace-propagation';

export interface OutboxRelaySettings {
  readonly name: string;
  readonly streamPrefixes: readonly string[];
  readonly map: EventLogRelayOptions['map'];
  readonly latestPerKeyTopics?: readonly string[];
  /** How long those topics' states are coalesced across pages (EventLogRelayOptions.latestPerKeyHoldMs). */
  readonly latestPerKeyHoldMs?: number;
}

export interface StoreWithOutboxOptions {
  readonly store: EventStore;
  readonly bus: MessageBus;
  readonly logger: Logger;
  readonly relay: OutboxRelaySettings;
  /** Registers the store as the readiness check of this name (absent where nothing serves HTTP). */
  readonly health?: { readonly registry: HealthRegistry; readonly name: string };
  /** Where the relay's lag is reported (`stockade_outbox_relay_lag_events`). */
  readonly metrics?: StockadeMetrics;
  /** Tracing on: each relayed message continues the trace its event was stored in. */
  readonly tracer?: Tracer | null;
  /**
   * False: the relay waits for `relay.start()` (one relay for a store several instances write,
   * chosen by the caller: inventory shards, ADR 0020). Default true.
   */
  readonly startRelay?: boolean;
}

export interface StoreWithOutbox {
  /** Publishing from the log: start and stop it at will (a stopped relay resumes from the stored checkpoint). */
  readonly relay: { start(): void; stop(): Promise<void>; readonly running: boolean };
  /** Publishes the relay's last page (when it runs) and closes the store. */
  close(): Promise<void>;
}

/**
 * A service's event store and its outbox, the relay from the store's global log to the bus
 * (failed pages logged and retried). Started before the consumers subscribe; `close()` publishes
 * the relay's last page and then closes the store, after the consumers stopped.
 */
export function startStoreWithOutbox(options: StoreWithOutboxOptions): StoreWithOutbox {
  const { store, bus, logger, relay: settings } = options;
  options.health?.registry.register(options.health.name, async () => ({ events: await store.headPosition() }));
  const relay = new EventLogRelay({
    name: settings.name,
    store,
    bus: options.tracer ? withTracedPublishes(bus, options.tracer) : bus,
    streamPrefixes: settings.streamPrefixes,
    map: options.tracer ? relayingTraceContext(settings.map) : settings.map,
    latestPerKeyTopics: settings.latestPerKeyTopics ?? [],
    latestPerKeyHoldMs: settings.latestPerKeyHoldMs ?? 0,
    onError: (error) => logger.warn({ err: error, relay: settings.name }, 'outbox relay page failed; retrying'),
  });
  if (options.startRelay ?? true) relay.start();
  options.metrics?.watchRelay(settings.name, async () =>
    Math.max(0, (await store.headPosition()) - ((await store.readCheckpoint(settings.name)) ?? 0)),
  );
  return {
    relay,
    close: async () => {
      await relay.stop();
      await store.close();
    },
  };
}
