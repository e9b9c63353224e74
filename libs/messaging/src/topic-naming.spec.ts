import { InMemoryMessageBus } from './memory/in-memory-message-bus';
import { TopicNamingMessageBus } from './topic-naming';
import type { IncomingMessage } from './message-bus';

describe('topic naming', () => {
  it('given a prefix, when a service publishes and subscribes by logical name, then the physical topic carries the prefix and handlers see the logical name', async () => {
    const physical = new InMemoryMessageBus();
    const bus = TopicNamingMessageBus.withPrefix(physical, 'prod.');
    const seenByService: IncomingMessage[] = [];
    const seenOnWire: IncomingMessage[] = [];
    await bus.subscribe({
      groupId: 'svc',
      topics: ['checkout.requested'],
      handler: async (m) => void seenByService.push(m),
    });
    await physical.subscribe({
      groupId: 'wire',
      topics: ['prod.checkout.requested'],
      handler: async (m) => void seenOnWire.push(m),
    });

    await bus.publish('checkout.requested', [{ key: 'k1', value: { a: 1 } }]);
    for (let i = 0; i < 100 && (seenByService.length === 0 || seenOnWire.length === 0); i++)
      await new Promise((r) => setTimeout(r, 5));

    expect(seenByService.map((m) => m.topic)).toEqual(['checkout.requested']);
    expect(seenOnWire.map((m) => [m.topic, m.key, m.value])).toEqual([['prod.checkout.requested', 'k1', '{"a":1}']]);
    await bus.close();
  });

  it('given a topic mapped to a name of its own, when the depth of its dead-letter topic is asked by logical name, then the dead letters of the mapped topic are counted under the logical name', async () => {
    const physical = new InMemoryMessageBus();
    const bus = new TopicNamingMessageBus(physical, (logical) =>
      logical === 'checkout.requested' ? 'team-a-orders' : `prod.${logical}`,
    );
    await physical.publish('team-a-orders.dlq', [
      { key: 'k', value: 'not json' },
      { key: 'k', value: 'nor this' },
    ]);
    await physical.publish('prod.checkout.requested.dlq', [{ key: 'k', value: 'never dead-lettered here' }]);

    const depth = await (bus as TopicNamingMessageBus).retainedMessages(['checkout.requested.dlq']);

    expect(depth.map(({ topic, messages }) => [topic, messages])).toEqual([['checkout.requested.dlq', 2]]);
    await bus.close();
  });

  it("given a group prefix, when a service subscribes and its lag is asked, then the broker sees the prefixed group, which another deployment's same-named group does not share", async () => {
    const physical = new InMemoryMessageBus();
    const prod = TopicNamingMessageBus.withPrefix(physical, 'prod.', 'prod.');
    const staging = TopicNamingMessageBus.withPrefix(physical, 'prod.', 'staging.');
    const seenByProd: string[] = [];
    const seenByStaging: string[] = [];
    await prod.subscribe({
      groupId: 'order-service',
      topics: ['checkout.requested'],
      handler: async (m) => void seenByProd.push(m.key ?? ''),
    });
    await staging.subscribe({
      groupId: 'order-service',
      topics: ['checkout.requested'],
      handler: async (m) => void seenByStaging.push(m.key ?? ''),
    });

    await prod.publish('checkout.requested', [{ key: 'k1', value: {} }]);
    for (let i = 0; i < 100 && (seenByProd.length === 0 || seenByStaging.length === 0); i++)
      await new Promise((r) => setTimeout(r, 5));

    // Two groups, so each deployment's consumer receives the message (one shared group would split them).
    expect([seenByProd, seenByStaging]).toEqual([['k1'], ['k1']]);
    await prod.close();
  });

  it("given a group prefix, when an operator asks a group's lag by its name in the code, then the bus asks the broker for the prefixed group", async () => {
    const askedGroups: string[] = [];
    const physical = Object.assign(new InMemoryMessageBus(), {
      consumerLag: async (groupId: string, topics: readonly string[]) => (
        askedGroups.push(groupId),
        topics.map((topic) => ({ topic, partition: 0, messages: 3 }))
      ),
      retainedMessages: async () => [],
    });
    const bus = new TopicNamingMessageBus(
      physical,
      (logical) => `prod.${logical}`,
      (groupId) => `prod.${groupId}`,
    );

    const lag = await bus.consumerLag('order-service', ['checkout.requested']);

    expect(askedGroups).toEqual(['prod.order-service']);
    expect(lag).toEqual([{ topic: 'checkout.requested', partition: 0, messages: 3 }]);
    await bus.close();
  });

  it('given no prefix, then the bus is used as it is', () => {
    const physical = new InMemoryMessageBus();
    expect(TopicNamingMessageBus.withPrefix(physical, '')).toBe(physical);
  });
});
