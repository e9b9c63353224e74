import { EventEmitter } from 'node:events';
import { Admin, Consumer, KafkaJSNonRetriableError, KafkaJSProtocolError } from 'kafkajs';
import { pinAcrossRebalances } from './kafka-subscription';

/** What kafkajs throws when a commit comes from a generation the group already left behind. */
function staleGenerationError(): Error {
  const protocolError = new KafkaJSProtocolError({
    message: 'Specified group generation id is not valid',
    type: 'ILLEGAL_GENERATION',
    code: 22,
    retriable: false,
  } as never);
  return new (KafkaJSNonRetriableError as unknown as new (error: Error, options: { cause: Error }) => Error)(
    protocolError,
    { cause: protocolError },
  );
}

/** A consumer whose first commit is refused (its group rebalanced), then joins again with `rejoinAssignment`. */
function consumerRebalancedOnce(rejoinAssignment: Record<string, number[]>, failures = 1) {
  const events = new EventEmitter();
  const commits: unknown[] = [];
  let refusals = failures;
  const consumer = {
    events: { GROUP_JOIN: 'consumer.group_join' },
    on: (event: string, listener: (payload: unknown) => void) => {
      events.on(event, listener);
      return () => events.off(event, listener);
    },
    commitOffsets: async (pins: unknown[]) => {
      if (refusals-- > 0) {
        setTimeout(() => events.emit('consumer.group_join', { payload: { memberAssignment: rejoinAssignment } }), 5);
        throw staleGenerationError();
      }
      commits.push(pins);
    },
    seek: () => undefined,
  };
  return { consumer: consumer as unknown as Consumer, commits };
}

const admin = {
  fetchOffsets: async ({ topics }: { topics: string[] }) =>
    topics.map((topic) => ({ topic, partitions: [0, 1].map((partition) => ({ partition, offset: '-1' })) })),
  fetchTopicOffsets: async () =>
    [0, 1].map((partition) => ({ partition, offset: String(10 + partition), high: String(10 + partition), low: '0' })),
} as unknown as Admin;

describe('pinning a new group at the end across a rebalance', () => {
  it('given the group rebalances right after its first join, when the pin commit is refused as from an old generation, then it pins the new assignment instead of failing the start', async () => {
    const { consumer, commits } = consumerRebalancedOnce({ 'order.events': [1] });

    await pinAcrossRebalances(admin, consumer, 'outcomes', { 'order.events': [0, 1] }, 1_000);

    expect(commits).toEqual([[{ topic: 'order.events', partition: 1, offset: '11' }]]);
  });

  it('given the commit keeps being refused, when every attempt failed, then the start fails with that error', async () => {
    const { consumer } = consumerRebalancedOnce({ 'order.events': [0] }, 99);

    await expect(pinAcrossRebalances(admin, consumer, 'outcomes', { 'order.events': [0] }, 1_000)).rejects.toThrow(
      'Specified group generation id is not valid',
    );
  });

  it('given an error that is not about a rebalance, then it fails at once', async () => {
    const { consumer } = consumerRebalancedOnce({ 'order.events': [0] }, 0);
    const broken = {
      ...admin,
      fetchOffsets: async () => Promise.reject(new Error('broker unreachable')),
    } as unknown as Admin;

    await expect(pinAcrossRebalances(broken, consumer, 'outcomes', { 'order.events': [0] }, 1_000)).rejects.toThrow(
      'broker unreachable',
    );
  });
});
