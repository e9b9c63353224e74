import type { IncomingMessage, MessageBus, SubscribeOptions } from '@stockade/messaging';
import { InMemoryMessageBus } from '@stockade/messaging';
import { consumerGroup } from './bus-consumer-options';
import { BusContext } from './bus-context';
import { MessageBusClient } from './message-bus-client';
import { MessageBusServer } from './message-bus-server';

/** A Nest-shaped handler (data, context) that records the message from its context. */
function recordingHandler(seen: IncomingMessage[]) {
  return async (_data: unknown, context: BusContext) => void seen.push(context.getMessage());
}

/** A bus that records what was subscribed and delivers nothing. */
function subscribingBus(subscribed: SubscribeOptions[]): MessageBus {
  return {
    publish: async () => undefined,
    subscribe: async (options) => (subscribed.push(options), { close: async () => undefined }),
    checkConnection: async () => ({}),
    close: async () => undefined,
  };
}

const listen = (server: MessageBusServer) =>
  new Promise<void>((resolve, reject) => void server.listen((error?: unknown) => (error ? reject(error) : resolve())));

describe('MessageBusServer', () => {
  it('given handlers of two topics in one group and one in another, when it listens, then each group is one subscription to all its topics', async () => {
    const subscribed: SubscribeOptions[] = [];
    const server = new MessageBusServer(subscribingBus(subscribed));
    server.addHandler('a', recordingHandler([]), true, consumerGroup('g1', { concurrency: 10 }));
    server.addHandler('b', recordingHandler([]), true, consumerGroup('g1', { concurrency: 10 }));
    server.addHandler('a', recordingHandler([]), true, consumerGroup('g2'));

    await listen(server);

    expect(subscribed.map(({ groupId, topics, concurrency }) => ({ groupId, topics, concurrency }))).toEqual([
      { groupId: 'g1', topics: ['a', 'b'], concurrency: 10 },
      { groupId: 'g2', topics: ['a'], concurrency: undefined },
    ]);
    expect(server.isListening()).toBe(true);
    await server.close();
    expect(server.isListening()).toBe(false);
  });

  it('given one group handling two topics, when messages arrive on both, then each reaches the handler of its topic with its key and headers', async () => {
    const bus = new InMemoryMessageBus();
    const server = new MessageBusServer(bus);
    const onA: IncomingMessage[] = [];
    const onB: IncomingMessage[] = [];
    server.addHandler('topic-a', recordingHandler(onA), true, consumerGroup('shared'));
    server.addHandler('topic-b', recordingHandler(onB), true, consumerGroup('shared'));
    await listen(server);

    const client = new MessageBusClient(bus);
    await client.emitAndWait('topic-a', { key: 'k1', value: { n: 1 }, headers: { 'x-correlation-id': 'c-1' } });
    await client.emitAndWait('topic-b', [{ key: 'k2', value: { n: 2 } }]);
    for (let tries = 0; tries < 100 && onA.length + onB.length < 2; tries++)
      await new Promise((resolve) => setTimeout(resolve, 5));

    expect(onA.map((m) => [m.topic, m.key, m.headers['x-correlation-id']])).toEqual([['topic-a', 'k1', 'c-1']]);
    expect(onB.map((m) => [m.topic, m.key])).toEqual([['topic-b', 'k2']]);
    await server.close();
    await bus.close();
  });

  it('given an assignment listener, when its groups subscribe to an in-memory bus (which holds every partition) and then close, then it is told per group which partitions it holds, and then none', async () => {
    const told: Array<[string, string]> = [];
    const bus = new InMemoryMessageBus();
    const server = new MessageBusServer(bus, {
      onAssignment: (groupId, assignment) =>
        told.push([groupId, assignment.map(({ topic, partitions }) => `${topic}:${partitions.length}`).join(',')]),
    });
    server.addHandler('inventory.commands', recordingHandler([]), true, consumerGroup('inventory-service'));

    await listen(server);
    await server.close();
    await bus.close();

    expect(told).toEqual([
      ['inventory-service', 'inventory.commands:8'],
      ['inventory-service', ''],
    ]);
  });

  it('given a @MessagePattern (request/response) handler, then it is refused: the bus has no replies', () => {
    expect(() =>
      new MessageBusServer(new InMemoryMessageBus()).addHandler('a', recordingHandler([]), false, consumerGroup('g')),
    ).toThrow(/use @EventPattern/);
  });

  it('given an @EventPattern without a consumer group, then it is refused with an example', () => {
    expect(() =>
      new MessageBusServer(new InMemoryMessageBus()).addHandler('a', recordingHandler([]), true, {}),
    ).toThrow(/needs a consumer group/);
  });

  it('given a second handler of the same topic and group, or one with other settings in the group, then it is refused', () => {
    const server = new MessageBusServer(new InMemoryMessageBus());
    server.addHandler('a', recordingHandler([]), true, consumerGroup('g', { concurrency: 5 }));

    expect(() => server.addHandler('a', recordingHandler([]), true, consumerGroup('g', { concurrency: 5 }))).toThrow(
      /has a handler for this topic already/,
    );
    expect(() => server.addHandler('b', recordingHandler([]), true, consumerGroup('g', { concurrency: 6 }))).toThrow(
      /need the same settings/,
    );
  });

  it('given the client, when send() (request/response) is used, then it errors instead of waiting for a reply forever', async () => {
    const client = new MessageBusClient(new InMemoryMessageBus());
    await expect(
      new Promise((resolve, reject) => client.send('a', {}).subscribe({ next: resolve, error: reject })),
    ).rejects.toThrow(/no replies/);
  });
});
