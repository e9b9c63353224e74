import type { EventStore, RecordedEvent } from '@stockade/event-store';
import { Clock, ValidationError } from '@stockade/kernel';
import type { MessageBus, OutgoingMessage } from '@stockade/messaging';
import type { Progress, RebuildableSummary, RebuildReport } from './operations-contract';

/**
 * A read model kept by the consumers of a state topic (one message per key, the latest wins),
 * such as `inventory.stock-levels`, which feeds the carts' availability (memory or Redis) and the
 * dashboards. Rebuilding it republishes, for every stream of the prefix, the message its latest
 * event became: the consumers' views are rebuilt from the source of truth while the system
 * keeps serving, and nothing is appended to the store.
 */
export interface RebuildableProjection {
  readonly description: string;
  readonly streamPrefix: string;
  readonly topic: string;
  /** The outbox's own mapping of an event to messages (only those for `topic` are republished). */
  readonly map: (event: RecordedEvent) => ReadonlyArray<{ readonly topic: string; readonly message: OutgoingMessage }>;
}

export interface RebuildOperations {
  rebuildable(): readonly RebuildableSummary[];
  rebuild(
    name: string,
    options?: { readonly signal?: AbortSignal; readonly onProgress?: (progress: Progress) => void },
  ): Promise<RebuildReport>;
}

export interface RebuildDependencies {
  readonly store: EventStore;
  readonly bus: MessageBus;
  readonly clock: Clock;
  readonly projections: Readonly<Record<string, RebuildableProjection>>;
  /** Events read per page and messages published per call (default 1,000 and 500). */
  readonly pageSize?: number;
  readonly publishBatch?: number;
}

export function createRebuildOperations(dependencies: RebuildDependencies): RebuildOperations {
  const { store, bus, clock, projections } = dependencies;
  const pageSize = dependencies.pageSize ?? 1_000;
  const publishBatch = dependencies.publishBatch ?? 500;

  return {
    rebuildable: () =>
      Object.entries(projections).map(([name, projection]) => ({
        name,
        description: projection.description,
        topic: projection.topic,
      })),

    async rebuild(name, options = {}) {
      const projection = projections[name];
      if (!projection)
        throw new ValidationError([
          {
            field: 'projection',
            message: `unknown projection "${name}"; one of: ${Object.keys(projections).join(', ')}`,
          },
        ]);
      const startedAt = clock.now();
      // The log up to its head now: what is appended later reaches the consumers through the relay anyway.
      const head = await store.headPosition();
      const latest = new Map<string, RecordedEvent>();
      let eventsRead = 0;
      for (let after = 0; after < head;) {
        options.signal?.throwIfAborted();
        const page = await store.readAll({ after, limit: pageSize, streamPrefixes: [projection.streamPrefix] });
        const last = page[page.length - 1];
        if (!last) break;
        for (const event of page) if (event.position <= head) latest.set(event.stream, event);
        eventsRead += page.filter((event) => event.position <= head).length;
        after = last.position;
        options.onProgress?.({ phase: 'reading', done: Math.min(after, head), total: head });
      }
      // Streams of other prefixes may come last: the log was read to its head all the same.
      options.onProgress?.({ phase: 'reading', done: head, total: head });

      const messages = [...latest.values()].flatMap((event) =>
        projection
          .map(event)
          .filter((relayed) => relayed.topic === projection.topic)
          .map((relayed) => relayed.message),
      );
      for (let published = 0; published < messages.length;) {
        options.signal?.throwIfAborted();
        const batch = messages.slice(published, published + publishBatch);
        await bus.publish(projection.topic, batch);
        published += batch.length;
        options.onProgress?.({ phase: 'publishing', done: published, total: messages.length });
      }
      return {
        projection: name,
        eventsRead,
        keys: latest.size,
        published: messages.length,
        topic: projection.topic,
        startedAt: startedAt.toISOString(),
        tookMs: clock.now().getTime() - startedAt.getTime(),
      };
    },
  };
}
