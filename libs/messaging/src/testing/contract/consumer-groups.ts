import type { ContractContext } from '../contract-fixtures';
import { CONTRACT_TEST_TIMEOUT_MS, recordingHandler, uniqueGroup, uniqueTopic, valueOf, waitUntil } from '../contract-fixtures';

export function describeConsumerGroups({ bus, subscribe }: ContractContext): void {
  describe('consumer groups', () => {
    it(
      'given two groups subscribed to one topic, when messages are published, then each group receives every message',
      async () => {
        const topic = uniqueTopic();
        const first = recordingHandler();
        const second = recordingHandler();
        await subscribe({ groupId: uniqueGroup(), topics: [topic], handler: first.handler });
        await subscribe({ groupId: uniqueGroup(), topics: [topic], handler: second.handler });

        await bus().publish(topic, Array.from({ length: 30 }, (_, n) => ({ key: `key-${n % 7}`, value: n })));

        await waitUntil(() => first.received.length === 30 && second.received.length === 30, 'both groups received all 30');
        const all = Array.from({ length: 30 }, (_, n) => n);
        expect(first.received.map(valueOf).sort((a, b) => Number(a) - Number(b))).toEqual(all);
        expect(second.received.map(valueOf).sort((a, b) => Number(a) - Number(b))).toEqual(all);
      },
      CONTRACT_TEST_TIMEOUT_MS,
    );
  });
}
