import { ValidationError } from '@stockade/kernel';
import { replayOfDeadLetter } from '../../dead-letter-replay';
import { DLQ_HEADERS } from '../../message-bus';
import type { IncomingMessage } from '../../message-bus';
import type { ContractContext } from '../contract-fixtures';
import {
  CONTRACT_TEST_TIMEOUT_MS,
  recordingHandler,
  uniqueGroup,
  uniqueTopic,
  valueOf,
  waitUntil,
} from '../contract-fixtures';

export function describeDeadLetters({ bus, subscribe }: ContractContext): void {
  describe('dead letters', () => {
    it(
      'given a message that keeps failing with a retriable error, when its attempts run out, then it goes to <topic>.dlq with every DLQ header and its partition moves on',
      async () => {
        const topic = uniqueTopic();
        const groupId = uniqueGroup();
        const seen: IncomingMessage[] = [];
        await subscribe({
          groupId,
          topics: [topic],
          maxAttempts: 3,
          retryBackoffMs: 1,
          handler: async (message) => {
            seen.push(message);
            if (valueOf(message) === 'poison') throw new TypeError('poison cannot be handled');
          },
        });
        const deadLetters = recordingHandler();
        await subscribe({ groupId: uniqueGroup(), topics: [`${topic}.dlq`], handler: deadLetters.handler });

        await bus().publish(topic, [
          { key: 'sku-9', value: 'poison', headers: { 'x-trace': 'trace-9' } },
          { key: 'sku-9', value: 'after-poison' },
        ]);

        await waitUntil(() => deadLetters.received.length === 1, 'the poison message was dead-lettered');
        await waitUntil(
          () => seen.some((message) => valueOf(message) === 'after-poison'),
          'the next message of the key was handled',
        );
        const poison = seen.filter((message) => valueOf(message) === 'poison');
        expect(poison.map((message) => message.attempt)).toEqual([1, 2, 3]);
        const [deadLetter] = deadLetters.received as [IncomingMessage];
        expect(deadLetter.key).toBe('sku-9');
        expect(deadLetter.value).toBe(poison[0]?.value);
        expect(deadLetter.headers).toMatchObject({
          'x-trace': 'trace-9',
          [DLQ_HEADERS.error]: 'poison cannot be handled',
          [DLQ_HEADERS.errorCode]: expect.any(String),
          [DLQ_HEADERS.originalTopic]: topic,
          [DLQ_HEADERS.originalPartition]: String(poison[0]?.partition),
          [DLQ_HEADERS.originalOffset]: poison[0]?.offset,
          [DLQ_HEADERS.attempts]: '3',
          [DLQ_HEADERS.groupId]: groupId,
        });
        expect(new Date(deadLetter.headers[DLQ_HEADERS.failedAt] ?? '').toISOString()).toBe(
          deadLetter.headers[DLQ_HEADERS.failedAt],
        );
      },
      CONTRACT_TEST_TIMEOUT_MS,
    );

    it(
      'given a handler refusing a message with a non-retriable ValidationError, when it is delivered, then it is dead-lettered after one attempt with the error code',
      async () => {
        const topic = uniqueTopic();
        const attempts: number[] = [];
        await subscribe({
          groupId: uniqueGroup(),
          topics: [topic],
          maxAttempts: 5,
          retryBackoffMs: 1,
          handler: async (message) => {
            attempts.push(message.attempt);
            throw new ValidationError([{ field: 'quantity', message: 'must be positive' }]);
          },
        });
        const deadLetters = recordingHandler();
        await subscribe({ groupId: uniqueGroup(), topics: [`${topic}.dlq`], handler: deadLetters.handler });

        await bus().publish(topic, [{ key: 'checkout-1', value: { quantity: -1 } }]);

        await waitUntil(() => deadLetters.received.length === 1, 'the message was dead-lettered');
        expect(attempts).toEqual([1]);
        expect(deadLetters.received[0]?.headers).toMatchObject({
          [DLQ_HEADERS.errorCode]: 'VALIDATION_FAILED',
          [DLQ_HEADERS.error]: 'quantity: must be positive',
          [DLQ_HEADERS.attempts]: '1',
        });
      },
      CONTRACT_TEST_TIMEOUT_MS,
    );

    it(
      'given a dead-lettered message and a fixed handler, when an operator publishes it back to its topic, then the group handles it with its original key, value and headers',
      async () => {
        const topic = uniqueTopic();
        let broken = true;
        const handled = recordingHandler();
        await subscribe({
          groupId: uniqueGroup(),
          topics: [topic],
          handler: async (message) => {
            if (broken) throw new ValidationError([{ field: 'sku', message: 'unknown' }]);
            await handled.handler(message);
          },
        });
        const deadLetters = recordingHandler();
        await subscribe({ groupId: uniqueGroup(), topics: [`${topic}.dlq`], handler: deadLetters.handler });
        await bus().publish(topic, [{ key: 'sku-new', value: { sku: 'sku-new' }, headers: { 'x-trace': 'trace-7' } }]);
        await waitUntil(() => deadLetters.received.length === 1, 'the message was dead-lettered');

        broken = false;
        const replay = replayOfDeadLetter(deadLetters.received[0] as IncomingMessage);
        await bus().publish(replay.topic, [replay.message]);

        await waitUntil(() => handled.received.length === 1, 'the replayed message was handled');
        const [again] = handled.received as [IncomingMessage];
        expect(again.key).toBe('sku-new');
        expect(valueOf(again)).toEqual({ sku: 'sku-new' });
        expect(again.headers['x-trace']).toBe('trace-7');
        expect(Object.keys(again.headers).filter((name) => name.startsWith('x-dlq-'))).toEqual([]);
      },
      CONTRACT_TEST_TIMEOUT_MS,
    );
  });
}
