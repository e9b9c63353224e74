import { StockadeError } from '@stockade/kernel';
import type { ContractContext } from '../contract-fixtures';
import { CONTRACT_TEST_TIMEOUT_MS, uniqueGroup, uniqueTopic, valueOf, waitUntil } from '../contract-fixtures';

export function describeRetries({ bus, subscribe }: ContractContext): void {
  describe('retries', () => {
    it(
      'given a handler failing twice with a retriable error, when the message is delivered, then it is retried and succeeds on attempt 3 before the next message of its key',
      async () => {
        const topic = uniqueTopic();
        const attempts: Array<[unknown, number]> = [];
        await subscribe({
          groupId: uniqueGroup(),
          topics: [topic],
          maxAttempts: 5,
          retryBackoffMs: 1,
          handler: async (message) => {
            attempts.push([valueOf(message), message.attempt]);
            if (valueOf(message) === 'flaky' && message.attempt < 3)
              throw new StockadeError('UNAVAILABLE', 'payment gateway down', { retriable: true });
          },
        });

        await bus().publish(topic, [
          { key: 'k', value: 'flaky' },
          { key: 'k', value: 'next' },
        ]);

        await waitUntil(() => attempts.some(([value]) => value === 'next'), 'the next message was handled');
        expect(attempts).toEqual([
          ['flaky', 1],
          ['flaky', 2],
          ['flaky', 3],
          ['next', 1],
        ]);
      },
      CONTRACT_TEST_TIMEOUT_MS,
    );

    it(
      'given a dependency down for longer than the message has attempts (an outage), when the message is delivered, then it is retried until the dependency is back and never dead-lettered',
      async () => {
        const topic = uniqueTopic();
        const attempts: number[] = [];
        await subscribe({
          groupId: uniqueGroup(),
          topics: [topic],
          maxAttempts: 2,
          retryBackoffMs: 1,
          handler: async (message) => {
            attempts.push(message.attempt);
            if (message.attempt <= 6)
              throw new StockadeError('UNAVAILABLE', 'event store unreachable', { retriable: true });
          },
        });

        await bus().publish(topic, [{ key: 'k', value: 'checkout' }]);

        await waitUntil(() => attempts.length === 7, 'the attempt after the outage ran');
        // Dead-lettered at attempt 2 (its maxAttempts), it would never have reached attempt 7.
        expect(attempts).toEqual([1, 2, 3, 4, 5, 6, 7]);
      },
      CONTRACT_TEST_TIMEOUT_MS,
    );

    it(
      'given a handler throwing an unexpected error (not a StockadeError) once, when the message is delivered, then it is retried as if retriable',
      async () => {
        const topic = uniqueTopic();
        const attempts: number[] = [];
        await subscribe({
          groupId: uniqueGroup(),
          topics: [topic],
          retryBackoffMs: 1,
          handler: async (message) => {
            attempts.push(message.attempt);
            if (message.attempt === 1) throw new TypeError('cannot read properties of undefined');
          },
        });

        await bus().publish(topic, [{ key: 'k', value: 'v' }]);

        await waitUntil(() => attempts.length === 2, 'the second attempt ran');
        expect(attempts).toEqual([1, 2]);
      },
      CONTRACT_TEST_TIMEOUT_MS,
    );
  });
}
