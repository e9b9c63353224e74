import type { NewEvent, RecordedEvent } from '@stockade/event-store';
import { InMemoryEventStore } from '@stockade/event-store';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, MessageBus } from '../message-bus';
import { LogBackedMessageBus } from '../engine/log-backed-message-bus';
import { MessageHandoff } from '../handoff/message-handoff';
import { InMemoryMessageBus } from '../memory/in-memory-message-bus';
import { InMemoryMessageLog } from '../memory/in-memory-message-log';
import { waitUntil } from '../testing/contract-fixtures';
import { envelopeFromEvent } from './envelope-from-event';
import { EventLogRelay } from './event-log-relay';
import type { EventLogRelayOptions, RelayedMessage } from './event-log-relay';

function anEvent(type: string, data: unknown = {}): NewEvent {
  return {
    id: randomUUID(),
    type,
    data,
    metadata: { correlationId: 'checkout-1', causationId: 'command-1', occurredAt: '2026-03-01T10:00:00.000Z' },
  };
}

/** Stock events go to `stock`, order events to `orders`; `Internal*` events stay private. */
function mapToTopics(event: RecordedEvent): RelayedMessage[] {
  if (event.type.startsWith('Internal')) return [];
  const topic = event.stream.startsWith('stock-') ? 'stock' : 'orders';
  return [{ topic, message: { key: event.stream, value: envelopeFromEvent(event, `${event.type}.v1`) } }];
}

describe('EventLogRelay', () => {
  let store: InMemoryEventStore;
  let bus: InMemoryMessageBus;
  let received: IncomingMessage[];
  let relays: EventLogRelay[];

  beforeEach(async () => {
    store = new InMemoryEventStore();
    bus = new InMemoryMessageBus();
    received = [];
    relays = [];
    await bus.subscribe({
      groupId: 'observer',
      topics: ['stock', 'orders'],
      handler: async (message) => void received.push(message),
    });
  });

  afterEach(async () => {
    await Promise.all(relays.map((relay) => relay.stop()));
    await bus.close();
  });

  function aRelay(overrides: Partial<EventLogRelayOptions> = {}): EventLogRelay {
    const relay = new EventLogRelay({ name: 'test-relay', store, bus, map: mapToTopics, ...overrides });
    relays.push(relay);
    return relay;
  }

  const types = (messages: readonly IncomingMessage[]) =>
    messages.map((message) => (JSON.parse(message.value) as { type: string }).type);

  it('given events in several streams, when drained, then each becomes an envelope on its topic, in log order per key', async () => {
    await store.appendToStream('stock-sku-1', [anEvent('StockReceived'), anEvent('StockReserved')], {
      expectedVersion: 'no_stream',
    });
    await store.appendToStream('order-1', [anEvent('OrderPlaced')], { expectedVersion: 'no_stream' });
    await store.appendToStream('stock-sku-1', [anEvent('StockReleased')], { expectedVersion: 1 });

    await aRelay({ batchSize: 2 }).drain();

    await waitUntil(() => received.length === 4, 'all four were delivered');
    expect(types(received.filter((message) => message.key === 'stock-sku-1'))).toEqual([
      'StockReceived.v1',
      'StockReserved.v1',
      'StockReleased.v1',
    ]);
    const [recorded] = await store.readStream('order-1');
    expect(JSON.parse(received.find((message) => message.key === 'order-1')!.value)).toEqual({
      messageId: recorded?.id,
      type: 'OrderPlaced.v1',
      correlationId: 'checkout-1',
      causationId: 'command-1',
      occurredAt: '2026-03-01T10:00:00.000Z',
      data: {},
    });
    expect(await store.readCheckpoint('test-relay')).toBe(await store.headPosition());
  });

  it('given a started relay, when events are appended, then they are published without calling drain', async () => {
    aRelay({ pollIntervalMs: 60_000 }).start();

    await store.appendToStream('order-2', [anEvent('OrderPlaced'), anEvent('OrderCompleted')], {
      expectedVersion: 'no_stream',
    });

    await waitUntil(() => received.length === 2, 'both were published');
    expect(types(received)).toEqual(['OrderPlaced.v1', 'OrderCompleted.v1']);
  });

  it('given a relay that published and stopped, when a new relay with the same name starts, then it publishes only later events, without duplicates', async () => {
    const first = aRelay();
    first.start();
    await store.appendToStream('order-3', [anEvent('OrderPlaced')], { expectedVersion: 'no_stream' });
    await first.drain();
    await first.stop();

    await store.appendToStream('order-3', [anEvent('OrderCompleted')], { expectedVersion: 0 });
    const second = aRelay();
    second.start();
    await second.drain();

    await waitUntil(() => received.length >= 2, 'both were published');
    expect(types(received)).toEqual(['OrderPlaced.v1', 'OrderCompleted.v1']);
  });

  it('given events whose mapping returns nothing, when drained, then they are skipped and the checkpoint still moves past them', async () => {
    await store.appendToStream(
      'order-4',
      [anEvent('InternalNoteAdded'), anEvent('OrderPlaced'), anEvent('InternalNoteAdded')],
      { expectedVersion: 'no_stream' },
    );

    await aRelay().drain();

    await waitUntil(() => received.length === 1, 'the public event was published');
    expect(types(received)).toEqual(['OrderPlaced.v1']);
    expect(await store.readCheckpoint('test-relay')).toBe(3);
  });

  it('given stream prefixes, when drained, then only events of matching streams are published', async () => {
    await store.appendToStream('stock-sku-2', [anEvent('StockReceived')], { expectedVersion: 'no_stream' });
    await store.appendToStream('order-5', [anEvent('OrderPlaced')], { expectedVersion: 'no_stream' });

    await aRelay({ streamPrefixes: ['order-'] }).drain();

    await waitUntil(() => received.length === 1, 'the order event was published');
    expect(types(received)).toEqual(['OrderPlaced.v1']);
  });

  it('given an event mapped to messages on two topics, when drained, then each topic receives its messages in mapping order, in one publish per topic', async () => {
    const published: Array<[string, unknown]> = [];
    let publishCalls = 0;
    const recordingBus: MessageBus = {
      publish: async (topic, messages) =>
        void (publishCalls++, messages.forEach((message) => published.push([topic, message.value]))),
      subscribe: () => Promise.reject(new Error('not used')),
      checkConnection: async () => ({}),
      close: async () => undefined,
    };
    await store.appendToStream('order-6', [anEvent('OrderPlaced')], { expectedVersion: 'no_stream' });

    await aRelay({
      bus: recordingBus,
      map: () => [
        { topic: 'a', message: { key: 'k', value: 1 } },
        { topic: 'a', message: { key: 'k', value: 2 } },
        { topic: 'b', message: { key: 'k', value: 3 } },
        { topic: 'a', message: { key: 'k', value: 4 } },
      ],
    }).drain();

    // Nothing orders messages across topics (Kafka neither); within a topic, and so per key, order holds.
    expect(published.filter(([topic]) => topic === 'a')).toEqual([
      ['a', 1],
      ['a', 2],
      ['a', 4],
    ]);
    expect(published.filter(([topic]) => topic === 'b')).toEqual([['b', 3]]);
    expect(publishCalls).toBe(2);
  });

  it('given a latest-per-key topic, when a page holds several states of one key, then only the last is published, and other topics are untouched', async () => {
    const published: Array<[string, string, unknown]> = [];
    const recordingBus: MessageBus = {
      publish: async (topic, messages) =>
        void messages.forEach((message) => published.push([topic, message.key, message.value])),
      subscribe: () => Promise.reject(new Error('not used')),
      checkConnection: async () => ({}),
      close: async () => undefined,
    };
    await store.appendToStream(
      'stock-LAMP',
      [anEvent('StockReserved', { available: 3 }), anEvent('StockReserved', { available: 2 })],
      { expectedVersion: 'no_stream' },
    );
    await store.appendToStream('stock-DESK', [anEvent('StockReserved', { available: 9 })], {
      expectedVersion: 'no_stream',
    });
    await store.appendToStream('stock-LAMP', [anEvent('StockCommitted', { available: 2 })], { expectedVersion: 1 });

    await aRelay({
      bus: recordingBus,
      latestPerKeyTopics: ['levels'],
      map: (event) => [
        { topic: 'changes', message: { key: event.stream, value: event.type } },
        { topic: 'levels', message: { key: event.stream, value: (event.data as { available: number }).available } },
      ],
    }).drain();

    expect(published.filter(([topic]) => topic === 'levels')).toEqual([
      ['levels', 'stock-DESK', 9],
      ['levels', 'stock-LAMP', 2],
    ]);
    expect(published.filter(([topic]) => topic === 'changes').map(([, key, value]) => [key, value])).toEqual([
      ['stock-LAMP', 'StockReserved'],
      ['stock-LAMP', 'StockReserved'],
      ['stock-DESK', 'StockReserved'],
      ['stock-LAMP', 'StockCommitted'],
    ]);
  });

  it('given a latest-per-key topic held for a while, when a key changes in many pages within it, then its latest state is published once, and the checkpoint waited for it', async () => {
    const published: Array<[string, unknown]> = [];
    const checkpointsAtPublish: Array<number | undefined> = [];
    const recordingBus: MessageBus = {
      publish: async (_topic, messages) => {
        checkpointsAtPublish.push(await store.readCheckpoint('test-relay'));
        messages.forEach((message) => published.push([message.key, message.value]));
      },
      subscribe: () => Promise.reject(new Error('not used')),
      checkConnection: async () => ({}),
      close: async () => undefined,
    };
    const relay = aRelay({
      bus: recordingBus,
      pollIntervalMs: 5,
      batchSize: 1,
      latestPerKeyTopics: ['levels'],
      latestPerKeyHoldMs: 200,
      map: (event) => [
        { topic: 'levels', message: { key: event.stream, value: (event.data as { available: number }).available } },
      ],
    });
    relay.start();
    for (let available = 10; available > 0; available--)
      await store.appendToStream('stock-LAMP', [anEvent('StockReserved', { available })], { expectedVersion: 'any' });
    await store.appendToStream('stock-DESK', [anEvent('StockReserved', { available: 7 })], { expectedVersion: 'any' });

    await waitUntil(() => published.length === 2, 'the held states were published');
    await relay.stop();

    expect(published).toEqual([
      ['stock-LAMP', 1],
      ['stock-DESK', 7],
    ]);
    expect(checkpointsAtPublish).toEqual([undefined]);
    expect(await store.readCheckpoint('test-relay')).toBe(11);
  });

  it('given many pages relayed in quick succession, when they are handled, then the checkpoint is saved about once per interval, and stop saves the last position', async () => {
    const saves: number[] = [];
    const saveCheckpoint = store.saveCheckpoint.bind(store);
    jest.spyOn(store, 'saveCheckpoint').mockImplementation(async (name, position) => {
      saves.push(position);
      await saveCheckpoint(name, position);
    });
    const relay = aRelay({ batchSize: 1, pollIntervalMs: 5, checkpointIntervalMs: 1_000 });
    relay.start();
    for (let i = 0; i < 30; i++)
      await store.appendToStream(`stock-${i}`, [anEvent('StockReserved')], { expectedVersion: 'any' });
    await waitUntil(() => received.length === 30, 'every event was published');

    expect(saves.length).toBeLessThanOrEqual(2);
    await relay.stop();
    expect(saves.at(-1)).toBe(30);
    expect(await store.readCheckpoint('test-relay')).toBe(30);
  });

  it('given a bus that fails once, when drained, then drain rejects and the next drain republishes the page', async () => {
    let failures = 1;
    const flakyBus: MessageBus = {
      publish: async (topic, messages) => {
        if (failures-- > 0) throw new Error('broker unavailable');
        await bus.publish(topic, messages);
      },
      subscribe: bus.subscribe.bind(bus),
      checkConnection: bus.checkConnection.bind(bus),
      close: async () => undefined,
    };
    await store.appendToStream('order-7', [anEvent('OrderPlaced')], { expectedVersion: 'no_stream' });
    const relay = aRelay({ bus: flakyBus });

    await expect(relay.drain()).rejects.toThrow('broker unavailable');
    await relay.drain();

    await waitUntil(() => received.length === 1, 'the event was published on the second try');
    expect(await store.readCheckpoint('test-relay')).toBe(1);
  });

  describe('over a bus that hands messages over in-process (ADR 0031)', () => {
    function aHandingBus(): LogBackedMessageBus {
      return new LogBackedMessageBus(new InMemoryMessageLog(), {
        handoff: new MessageHandoff({ topics: ['stock', 'orders'], consumerWaitMs: 1_000 }),
      });
    }

    it('given a slow consumer, when events are relayed, then the checkpoint stays behind every message not yet handled', async () => {
      const handing = aHandingBus();
      let release: () => void = () => undefined;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const handled: string[] = [];
      await handing.subscribe({
        groupId: 'slow',
        topics: ['stock'],
        handler: async (message) => {
          await gate;
          handled.push(message.key);
        },
      });
      await store.appendToStream('stock-sku-1', [anEvent('StockReserved')], { expectedVersion: 'any' });
      const relay = aRelay({ bus: handing });
      relay.start();

      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await store.readCheckpoint('test-relay')).toBeUndefined();

      release();
      let checkpoint: number | undefined;
      const poll = setInterval(() => void store.readCheckpoint('test-relay').then((saved) => (checkpoint = saved)), 5);
      try {
        await waitUntil(() => checkpoint === 1, 'the checkpoint moved past the handled page');
      } finally {
        clearInterval(poll);
      }
      expect(handled).toEqual(['stock-sku-1']);
      await relay.stop();
      await handing.close();
    });

    it('given one message whose handler takes long (a slow payment), when more events follow, then the relay hands them over and they are handled meanwhile, while the checkpoint waits for the slow one', async () => {
      const handing = aHandingBus();
      let release: () => void = () => undefined;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const handled: string[] = [];
      await handing.subscribe({
        groupId: 'payments',
        topics: ['stock'],
        handler: async (message) => {
          if (message.key === 'stock-slow') await gate;
          handled.push(message.key);
        },
      });
      const relay = aRelay({ bus: handing, pollIntervalMs: 10 });
      relay.start();
      await store.appendToStream('stock-slow', [anEvent('StockReserved')], { expectedVersion: 'any' });
      for (let i = 0; i < 40; i++)
        await store.appendToStream(`stock-${i}`, [anEvent('StockReserved')], { expectedVersion: 'any' });

      await waitUntil(() => handled.length === 40, 'the forty events after the slow one were handled');
      expect(await store.readCheckpoint('test-relay')).toBeUndefined();
      release();
      let checkpoint: number | undefined;
      const poll = setInterval(() => void store.readCheckpoint('test-relay').then((saved) => (checkpoint = saved)), 5);
      try {
        await waitUntil(() => checkpoint === 41, 'the checkpoint moved past every event');
      } finally {
        clearInterval(poll);
      }
      await relay.stop();
      await handing.close();
    });

    it('given a consumer that stops before handling (a crash), when a relay starts again over the same store, then every message is handed over again and none is lost', async () => {
      const first = aHandingBus();
      await first.subscribe({
        groupId: 'inventory',
        topics: ['stock'],
        retryBackoffMs: 60_000,
        handler: async () => Promise.reject(new Error('database is locked')),
      });
      await store.appendToStream('stock-sku-1', [anEvent('StockReserved'), anEvent('StockCommitted')], {
        expectedVersion: 'any',
      });
      const crashed = aRelay({ bus: first, pollIntervalMs: 10 });
      crashed.start();
      await new Promise((resolve) => setTimeout(resolve, 50));
      await first.close();
      await crashed.stop();
      expect(await store.readCheckpoint('test-relay')).toBeUndefined();

      const restarted = aHandingBus();
      const handled: string[] = [];
      await restarted.subscribe({
        groupId: 'inventory',
        topics: ['stock'],
        handler: async (message) => void handled.push((JSON.parse(message.value) as { type: string }).type),
      });
      await aRelay({ bus: restarted }).drain();

      expect(handled).toEqual(['StockReserved.v1', 'StockCommitted.v1']);
      expect(await store.readCheckpoint('test-relay')).toBe(2);
      await restarted.close();
    });
  });
});
