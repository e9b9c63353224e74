import { MessageChannel } from 'node:worker_threads';
import { ValidationError } from '@stockade/kernel';
import { DLQ_HEADERS, type IncomingMessage } from '../message-bus';
import { LogBackedMessageBus } from '../engine/log-backed-message-bus';
import { InMemoryMessageLog } from '../memory/in-memory-message-log';
import type { HandoffWireMessage } from './handoff-wire';
import { MessageHandoff } from './message-handoff';

const HANDED = 'commands';
const STORED = 'outcomes';

function aBus(log = new InMemoryMessageLog(), consumerWaitMs = 200) {
  const handoff = new MessageHandoff({ topics: [HANDED], consumerWaitMs });
  return { bus: new LogBackedMessageBus(log, { handoff }), handoff, log };
}

const aMessage = (key: string, value: unknown) => ({ key, value });

describe('MessageHandoff on a log-backed bus (ADR 0031)', () => {
  const buses: LogBackedMessageBus[] = [];
  const channels: MessageChannel[] = [];
  afterEach(async () => {
    channels.splice(0).forEach((channel) => channel.port1.close());
    await Promise.all(buses.splice(0).map((bus) => bus.close()));
  });
  function opened<T extends { bus: LogBackedMessageBus }>(made: T): T {
    buses.push(made.bus);
    return made;
  }

  it('given a consumer of a handed-over topic, when messages are published, then they are handled without being stored, and publish resolves after the handler', async () => {
    const { bus, log } = opened(aBus());
    const handled: string[] = [];
    await bus.subscribe({
      groupId: 'inventory',
      topics: [HANDED],
      handler: async (message) => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        handled.push(message.value);
      },
    });

    await bus.publish(HANDED, [aMessage('checkout-1', { n: 1 }), aMessage('checkout-2', { n: 2 })]);

    expect(handled.sort()).toEqual(['{"n":1}', '{"n":2}']);
    expect(await log.topics()).not.toContain(HANDED);
  });

  it('given a topic that is not handed over, when published, then it is stored in the log as before', async () => {
    const { bus, log } = opened(aBus());
    await bus.publish(STORED, [aMessage('order-1', { done: true })]);
    expect(await log.topics()).toContain(STORED);
  });

  it('given messages of one key handed over in separate publishes, when the first is slow, then the second waits for it (per-key order), while another key runs at once', async () => {
    const { bus } = opened(aBus());
    const order: string[] = [];
    await bus.subscribe({
      groupId: 'inventory',
      topics: [HANDED],
      handler: async (message) => {
        const { step } = JSON.parse(message.value) as { step: string };
        if (step === 'a1') await new Promise((resolve) => setTimeout(resolve, 50));
        order.push(step);
      },
    });

    const first = await bus.publishHandedOver(HANDED, [aMessage('a', { step: 'a1' })]);
    const second = await bus.publishHandedOver(HANDED, [aMessage('a', { step: 'a2' }), aMessage('b', { step: 'b1' })]);
    await Promise.all([first.handled, second.handled]);

    expect(order).toEqual(['b1', 'a1', 'a2']);
  });

  it('given a handler that refuses a message, when it is handed over, then it is dead-lettered with its exact bytes and reason, and the others are handled', async () => {
    const { bus } = opened(aBus());
    const handled: string[] = [];
    await bus.subscribe({
      groupId: 'inventory',
      topics: [HANDED],
      handler: async (message) => {
        if (message.key === 'bad') throw new ValidationError([{ field: 'lines', message: 'must not be empty' }]);
        handled.push(message.key);
      },
    });

    await bus.publish(HANDED, [
      { key: 'bad', value: { lines: [], note: 'ünïcode' }, headers: { traceparent: 'x' } },
      aMessage('good', {}),
    ]);

    expect(handled).toEqual(['good']);
    const [letter] = await bus.readDeadLetters(`${HANDED}.dlq`);
    expect(letter?.value).toBe('{"lines":[],"note":"ünïcode"}');
    expect(letter?.headers).toMatchObject({
      traceparent: 'x',
      [DLQ_HEADERS.originalTopic]: HANDED,
      [DLQ_HEADERS.groupId]: 'inventory',
      [DLQ_HEADERS.errorCode]: 'VALIDATION_FAILED',
    });
  });

  it('given no consumer yet, when messages are handed over, then they wait for one; with none within the wait, handling fails retriably', async () => {
    const { bus } = opened(aBus(new InMemoryMessageLog(), 300));
    const waiting = await bus.publishHandedOver(HANDED, [aMessage('k', {})]);
    const received: IncomingMessage[] = [];
    await bus.subscribe({ groupId: 'late-but-first', topics: [HANDED], handler: async (m) => void received.push(m) });
    await waiting.handled;
    expect(received).toHaveLength(1);

    const { bus: lonely } = opened(aBus(new InMemoryMessageLog(), 50));
    const unanswered = await lonely.publishHandedOver(HANDED, [aMessage('k', {})]);
    await expect(unanswered.handled).rejects.toMatchObject({ code: 'UNAVAILABLE', retriable: true });
  });

  it('given messages handed over already, when a group never seen before subscribes, then it is refused (it would have missed them)', async () => {
    const { bus } = opened(aBus());
    await bus.subscribe({ groupId: 'inventory', topics: [HANDED], handler: async () => undefined });
    await bus.publish(HANDED, [aMessage('k', {})]);

    await expect(
      bus.subscribe({ groupId: 'newcomer', topics: [HANDED], handler: async () => undefined }),
    ).rejects.toThrow(/cannot join commands/);
  });

  it('given a consumer that closes while a message waits for a retry, when it closes, then that hand-over fails (the relay hands it over again) and the next subscription of the group gets new messages', async () => {
    const { bus } = opened(aBus(new InMemoryMessageLog(), 1_000));
    const failing = await bus.subscribe({
      groupId: 'inventory',
      topics: [HANDED],
      retryBackoffMs: 10_000,
      handler: async () => {
        throw new Error('database is locked');
      },
    });
    const pending = await bus.publishHandedOver(HANDED, [aMessage('k', {})]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await failing.close();
    await expect(pending.handled).rejects.toMatchObject({ retriable: true });

    const received: string[] = [];
    await bus.subscribe({ groupId: 'inventory', topics: [HANDED], handler: async (m) => void received.push(m.key) });
    await bus.publish(HANDED, [aMessage('again', {})]);
    expect(received).toEqual(['again']);
  });

  it('given old messages of the topic in the log, when the group subscribes, then it handles those first and takes handed-over ones after', async () => {
    const log = new InMemoryMessageLog();
    const before = opened({ bus: new LogBackedMessageBus(log) });
    await before.bus.publish(HANDED, [aMessage('k', { n: 'old' })]);
    const { bus } = opened(aBus(log));
    const seen: string[] = [];
    await bus.subscribe({
      groupId: 'inventory',
      topics: [HANDED],
      handler: async (message) => void seen.push((JSON.parse(message.value) as { n: string }).n),
    });

    await bus.publish(HANDED, [aMessage('k', { n: 'new' })]);

    expect(seen).toEqual(['old', 'new']);
  });

  it('given two handoffs linked across a real MessageChannel (two threads), when one side publishes, then the group on the other side handles it and the answer comes back', async () => {
    const channel = new MessageChannel();
    channels.push(channel);
    const main = opened(aBus());
    const worker = opened(aBus());
    main.handoff.link((message) => channel.port1.postMessage(message));
    channel.port1.on('message', (message: HandoffWireMessage) => main.handoff.receive(message));
    worker.handoff.link((message) => channel.port2.postMessage(message));
    channel.port2.on('message', (message: HandoffWireMessage) => worker.handoff.receive(message));
    const handledOnWorker: string[] = [];
    await worker.bus.subscribe({
      groupId: 'inventory',
      topics: [HANDED],
      handler: async (message) => void handledOnWorker.push(message.key),
    });

    await main.bus.publish(HANDED, [aMessage('checkout-9', { lines: 1 })]);

    expect(handledOnWorker).toEqual(['checkout-9']);
  });

  it('given the consumer on the linked thread stops, when the other side hands over, then it waits for the group to come back', async () => {
    const channel = new MessageChannel();
    channels.push(channel);
    const main = opened(aBus(new InMemoryMessageLog(), 2_000));
    const worker = opened(aBus());
    main.handoff.link((message) => channel.port1.postMessage(message));
    channel.port1.on('message', (message: HandoffWireMessage) => main.handoff.receive(message));
    worker.handoff.link((message) => channel.port2.postMessage(message));
    channel.port2.on('message', (message: HandoffWireMessage) => worker.handoff.receive(message));
    const first = await worker.bus.subscribe({
      groupId: 'inventory',
      topics: [HANDED],
      handler: async () => undefined,
    });
    await main.bus.publish(HANDED, [aMessage('one', {})]);
    await first.close();
    // The news that the group left crosses the channel like everything else.
    await new Promise((resolve) => setTimeout(resolve, 50));

    const handled = await main.bus.publishHandedOver(HANDED, [aMessage('two', {})]);
    const received: string[] = [];
    await new Promise((resolve) => setTimeout(resolve, 50));
    await worker.bus.subscribe({
      groupId: 'inventory',
      topics: [HANDED],
      handler: async (m) => void received.push(m.key),
    });
    await handled.handled;

    expect(received).toEqual(['two']);
  });
});
