import { InvariantViolation, ManualClock, ValidationError } from '@stockade/kernel';
import { DLQ_HEADERS } from '../message-bus';
import type { IncomingMessage } from '../message-bus';
import { InMemoryMessageLog } from '../memory/in-memory-message-log';
import { waitUntil } from '../testing/contract-fixtures';
import { LogBackedMessageBus } from './log-backed-message-bus';

/** Engine behaviour beyond the shared contract (which a Kafka adapter need not match). */
describe('LogBackedMessageBus', () => {
  let bus: LogBackedMessageBus;

  afterEach(async () => {
    await bus.close();
  });

  it('given a message waiting out a long retry backoff, when the subscription closes, then close does not wait and the message is redelivered to the next subscription', async () => {
    bus = new LogBackedMessageBus(new InMemoryMessageLog());
    const attempts: number[] = [];
    const failing = await bus.subscribe({
      groupId: 'g',
      topics: ['t'],
      retryBackoffMs: 600_000,
      handler: async (message) => {
        attempts.push(message.attempt);
        throw new Error('down');
      },
    });
    await bus.publish('t', [{ key: 'k', value: 'v' }]);
    await waitUntil(() => attempts.length === 1, 'the first attempt failed');

    await failing.close();

    const redelivered: IncomingMessage[] = [];
    await bus.subscribe({ groupId: 'g', topics: ['t'], handler: async (message) => void redelivered.push(message) });
    await waitUntil(() => redelivered.length === 1, 'the message was redelivered');
    expect(redelivered[0]?.attempt).toBe(1);
  });

  it('given a live subscription of a group to a topic, when the same group subscribes to that topic again, then it is refused', async () => {
    bus = new LogBackedMessageBus(new InMemoryMessageLog());
    const first = await bus.subscribe({ groupId: 'g', topics: ['t'], handler: async () => undefined });

    await expect(
      bus.subscribe({ groupId: 'g', topics: ['other', 't'], handler: async () => undefined }),
    ).rejects.toThrow(InvariantViolation);
    await first.close();
    await expect(bus.subscribe({ groupId: 'g', topics: ['t'], handler: async () => undefined })).resolves.toBeDefined();
  });

  it('given a clock, when a message is dead-lettered, then x-dlq-failed-at is the clock’s time', async () => {
    const clock = new ManualClock('2026-05-01T12:00:00.000Z');
    bus = new LogBackedMessageBus(new InMemoryMessageLog(), { clock });
    const deadLetters: IncomingMessage[] = [];
    await bus.subscribe({
      groupId: 'dlq-reader',
      topics: ['t.dlq'],
      handler: async (message) => void deadLetters.push(message),
    });
    await bus.subscribe({
      groupId: 'g',
      topics: ['t'],
      handler: async () => Promise.reject(new ValidationError([{ field: 'x', message: 'bad' }])),
    });

    await bus.publish('t', [{ key: 'k', value: 1 }]);

    await waitUntil(() => deadLetters.length === 1, 'the message was dead-lettered');
    expect(deadLetters[0]?.headers[DLQ_HEADERS.failedAt]).toBe('2026-05-01T12:00:00.000Z');
  });

  it('given a storage read that fails once, when consuming, then the failure is reported and the consumer carries on', async () => {
    const log = new InMemoryMessageLog();
    const read = log.read.bind(log);
    let failures = 1;
    log.read = async (...args) => (failures-- > 0 ? Promise.reject(new Error('SQLITE_BUSY')) : read(...args));
    const reported: unknown[] = [];
    bus = new LogBackedMessageBus(log, { partitions: 1, onConsumerError: (error) => reported.push(error) });
    const received: IncomingMessage[] = [];
    await bus.subscribe({ groupId: 'g', topics: ['t'], handler: async (message) => void received.push(message) });

    await bus.publish('t', [{ key: 'k', value: 1 }]);

    await waitUntil(() => received.length === 1, 'the message arrived after the failure');
    expect(reported).toEqual([new Error('SQLITE_BUSY')]);
  });

  it('given a value JSON cannot represent, when publishing, then it is refused before anything is written', async () => {
    bus = new LogBackedMessageBus(new InMemoryMessageLog());

    await expect(
      bus.publish('t', [
        { key: 'k', value: 1 },
        { key: 'k', value: undefined },
      ]),
    ).rejects.toThrow(ValidationError);
  });

  it('given a chosen partition outside the topic (4 partitions), when publishing, then the call is refused naming the field and nothing of it is written', async () => {
    const log = new InMemoryMessageLog();
    bus = new LogBackedMessageBus(log, { partitions: 4 });

    const refusal = await bus
      .publish('t', [
        { key: 'a', value: 1, partition: 3 },
        { key: 'b', value: 2, partition: 4 },
      ])
      .catch((error: unknown) => error);

    expect(refusal).toBeInstanceOf(ValidationError);
    expect((refusal as ValidationError).issues).toEqual([
      { field: 'messages[1].partition', message: "must be a whole number from 0 to 3 (the topic's partitions)" },
    ]);
    expect(await log.topics()).toEqual([]);
  });
});
