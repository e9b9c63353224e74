import { hasBacklog } from '../../backlog/bus-backlog';
import type { PartitionBacklog } from '../../backlog/bus-backlog';
import type { ContractContext } from '../contract-fixtures';
import { CONTRACT_TEST_TIMEOUT_MS, recordingHandler, uniqueGroup, uniqueTopic, waitUntil } from '../contract-fixtures';

const total = (backlog: readonly PartitionBacklog[]) => backlog.reduce((sum, partition) => sum + partition.messages, 0);

/** What metrics read off the bus: a group's lag and a topic's depth (BusBacklog). */
export function describeBacklog({ bus, subscribe }: ContractContext): void {
  describe('backlog (consumer lag and topic depth)', () => {
    it(
      'given five messages published before a group ever read, when the group is asked its lag, then all five are behind; once it handled them, none is',
      async () => {
        const backlog = bus();
        if (!hasBacklog(backlog)) throw new Error('every adapter tells its backlog');
        const topic = uniqueTopic();
        const groupId = uniqueGroup();
        await backlog.publish(
          topic,
          ['a', 'b', 'c', 'd', 'e'].map((value) => ({ key: 'one-key', value })),
        );

        const before = await backlog.consumerLag(groupId, [topic]);
        expect(total(before)).toBe(5);
        expect(before.every((partition) => partition.topic === topic)).toBe(true);

        const handled = recordingHandler();
        await subscribe({ groupId, topics: [topic], handler: handled.handler });
        await waitUntil(() => handled.received.length === 5, 'the group handled the five messages');
        let after = before;
        for (const deadline = Date.now() + 30_000; total(after) > 0 && Date.now() < deadline;) {
          await new Promise((resolve) => setTimeout(resolve, 50));
          after = await backlog.consumerLag(groupId, [topic]);
        }
        expect(total(after)).toBe(0);
      },
      CONTRACT_TEST_TIMEOUT_MS,
    );

    it(
      'given a topic with three messages and one that was never written, when their depth is asked, then the first holds three and the second has no partitions',
      async () => {
        const backlog = bus();
        if (!hasBacklog(backlog)) throw new Error('every adapter tells its backlog');
        const topic = uniqueTopic();
        await backlog.publish(
          topic,
          ['x', 'y', 'z'].map((value, index) => ({ key: `key-${index}`, value })),
        );

        expect(total(await backlog.retainedMessages([topic]))).toBe(3);
        expect(await backlog.retainedMessages([uniqueTopic()])).toEqual([]);
        expect(await backlog.consumerLag(uniqueGroup(), [uniqueTopic()])).toEqual([]);
      },
      CONTRACT_TEST_TIMEOUT_MS,
    );
  });
}
