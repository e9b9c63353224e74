import type { ContractContext } from '../contract-fixtures';
import {
  CONTRACT_TEST_TIMEOUT_MS,
  recordingHandler,
  uniqueGroup,
  uniqueTopic,
  valueOf,
  waitUntil,
} from '../contract-fixtures';

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

        await bus().publish(
          topic,
          Array.from({ length: 30 }, (_, n) => ({ key: `key-${n % 7}`, value: n })),
        );

        await waitUntil(
          () => first.received.length === 30 && second.received.length === 30,
          'both groups received all 30',
        );
        const all = Array.from({ length: 30 }, (_, n) => n);
        expect(first.received.map(valueOf).sort((a, b) => Number(a) - Number(b))).toEqual(all);
        expect(second.received.map(valueOf).sort((a, b) => Number(a) - Number(b))).toEqual(all);
      },
      CONTRACT_TEST_TIMEOUT_MS,
    );

    it(
      'given a subscription alone in its group, then it is told the partitions it holds before their first message is handled, and that it holds none once closed',
      async () => {
        const topic = uniqueTopic();
        const told: string[] = [];
        const handledOn: Array<{ partition: number; heldThen: boolean }> = [];
        let held = new Set<number>();
        const subscription = await subscribe({
          groupId: uniqueGroup(),
          topics: [topic],
          onAssignment: (assignment) => {
            held = new Set(assignment.filter((entry) => entry.topic === topic).flatMap((entry) => entry.partitions));
            told.push(assignment.length === 0 ? 'none' : 'some');
          },
          handler: async (message) => {
            handledOn.push({ partition: message.partition, heldThen: held.has(message.partition) });
          },
        });

        await bus().publish(topic, [
          { key: 'a', value: 1, partition: 0 },
          { key: 'b', value: 2, partition: 1 },
          { key: 'c', value: 3 },
        ]);
        await waitUntil(() => handledOn.length === 3, 'all three handled');
        await subscription.close();

        expect(handledOn.every((entry) => entry.heldThen)).toBe(true);
        expect(told.at(-1)).toBe('none');
        expect(told).toContain('some');
      },
      CONTRACT_TEST_TIMEOUT_MS,
    );
  });
}
