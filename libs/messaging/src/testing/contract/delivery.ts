import type { ContractContext } from '../contract-fixtures';
import {
  CONTRACT_TEST_TIMEOUT_MS,
  recordingHandler,
  uniqueGroup,
  uniqueTopic,
  valueOf,
  waitUntil,
} from '../contract-fixtures';

export function describeDelivery({ bus, subscribe }: ContractContext): void {
  describe('delivery', () => {
    it('given an open bus, when its connection is checked, then it answers with details a readiness check can show', async () => {
      const details = await bus().checkConnection();
      expect(Object.keys(details).length).toBeGreaterThan(0);
      expect(Object.values(details).every((value) => typeof value === 'string')).toBe(true);
    });

    it(
      'given messages published to a topic, when a new group subscribes, then it receives each with its key, JSON value, headers and attempt 1',
      async () => {
        const topic = uniqueTopic();
        await bus().publish(topic, [
          { key: 'sku-1', value: { quantity: 3, note: 'ünïcode ✓' }, headers: { 'x-trace': 'trace-1' } },
          { key: 'sku-2', value: [1, 'two', null] },
        ]);
        const { received, handler } = recordingHandler();

        await subscribe({ groupId: uniqueGroup(), topics: [topic], handler });

        await waitUntil(() => received.length === 2, 'both messages arrived');
        const byKey = new Map(received.map((message) => [message.key, message]));
        expect(byKey.get('sku-1')).toMatchObject({
          topic,
          key: 'sku-1',
          attempt: 1,
          headers: expect.objectContaining({ 'x-trace': 'trace-1' }),
        });
        expect(valueOf(byKey.get('sku-1')!)).toEqual({ quantity: 3, note: 'ünïcode ✓' });
        expect(valueOf(byKey.get('sku-2')!)).toEqual([1, 'two', null]);
        received.forEach((message) => {
          expect(Number.isInteger(message.partition) && message.partition >= 0).toBe(true);
          expect(message.offset).toMatch(/^\d+$/);
        });
      },
      CONTRACT_TEST_TIMEOUT_MS,
    );

    it(
      'given messages placed on partitions the publisher chose (shards), when they are delivered, then each arrives on its partition, whatever its key hashes to, and a key keeps its order there',
      async () => {
        const topic = uniqueTopic();
        await bus().publish(topic, [
          { key: 'checkout-1', value: 'reserve', partition: 1 },
          { key: 'checkout-1', value: 'release', partition: 1 },
          { key: 'checkout-1', value: 'reserve elsewhere', partition: 0 },
          { key: 'checkout-2', value: 'by key' },
        ]);
        const { received, handler } = recordingHandler();

        await subscribe({ groupId: uniqueGroup(), topics: [topic], handler });

        await waitUntil(() => received.length === 4, 'all four arrived');
        const placed = received
          .filter((message) => message.key === 'checkout-1')
          .map((message) => [message.partition, valueOf(message)]);
        expect(placed.filter(([partition]) => partition === 1)).toEqual([
          [1, 'reserve'],
          [1, 'release'],
        ]);
        expect(placed.filter(([partition]) => partition === 0)).toEqual([[0, 'reserve elsewhere']]);
      },
      CONTRACT_TEST_TIMEOUT_MS,
    );

    it(
      'given a subscription, when messages are published afterwards, then they are delivered without further action',
      async () => {
        const topic = uniqueTopic();
        const { received, handler } = recordingHandler();
        await subscribe({ groupId: uniqueGroup(), topics: [topic], handler });

        await bus().publish(topic, [{ key: 'a', value: 1 }]);
        await bus().publish(topic, [{ key: 'b', value: 2 }]);

        await waitUntil(() => received.length === 2, 'both messages arrived');
        expect(received.map(valueOf).sort()).toEqual([1, 2]);
      },
      CONTRACT_TEST_TIMEOUT_MS,
    );

    it(
      'given messages already on a topic, when a new group subscribes with fromBeginning false, then it receives only messages published after subscribe resolved',
      async () => {
        const topic = uniqueTopic();
        await bus().publish(topic, [{ key: 'k', value: 'old' }]);
        const { received, handler } = recordingHandler();

        await subscribe({ groupId: uniqueGroup(), topics: [topic], handler, fromBeginning: false });
        await bus().publish(topic, [{ key: 'k', value: 'new' }]);

        await waitUntil(() => received.length >= 1, 'the new message arrived');
        expect(received.map(valueOf)).toEqual(['new']);
      },
      CONTRACT_TEST_TIMEOUT_MS,
    );

    it(
      'given one subscription to two topics, when both receive messages, then the handler sees each message with the topic it came from',
      async () => {
        const [first, second] = [uniqueTopic(), uniqueTopic()];
        const { received, handler } = recordingHandler();
        await subscribe({ groupId: uniqueGroup(), topics: [first, second], handler });

        await bus().publish(first, [{ key: 'k', value: 'from-first' }]);
        await bus().publish(second, [{ key: 'k', value: 'from-second' }]);

        await waitUntil(() => received.length === 2, 'both messages arrived');
        expect(received.map((message) => [message.topic, valueOf(message)]).sort()).toEqual(
          [
            [first, 'from-first'],
            [second, 'from-second'],
          ].sort(),
        );
      },
      CONTRACT_TEST_TIMEOUT_MS,
    );
  });
}
