import type { MessageBus, Subscription } from '../message-bus';
import { describeBacklog } from './contract/backlog';
import { describeConcurrency } from './contract/concurrency';
import { describeConsumerGroups } from './contract/consumer-groups';
import { describeDeadLetters } from './contract/dead-letters';
import { describeDelivery } from './contract/delivery';
import { describeResuming } from './contract/resuming';
import { describeRetries } from './contract/retries';
import type { ContractContext } from './contract-fixtures';

/**
 * The one statement of what a MessageBus does. Every adapter's spec calls it, in full
 * (in-memory, SQLite, Kafka): callers may rely on what is asserted here and nothing more.
 * It states only what Kafka can also give: same key → same partition (never a partition
 * count), delivery "eventually" (polling for an outcome, never a fixed sleep).
 *
 * `openBus` runs before each test, `closeBus` (default `bus.close()`) after it, once the
 * subscriptions the test opened were closed.
 */
export function describeMessageBusContract(
  adapterName: string,
  openBus: () => Promise<MessageBus>,
  closeBus: (bus: MessageBus) => Promise<void> = (bus) => bus.close(),
): void {
  describe(`MessageBus contract: ${adapterName}`, () => {
    let current: MessageBus | undefined;
    let subscriptions: Subscription[] = [];

    beforeEach(async () => {
      current = await openBus();
    });

    afterEach(async () => {
      await Promise.all(subscriptions.map((subscription) => subscription.close()));
      subscriptions = [];
      if (current) await closeBus(current);
      current = undefined;
    });

    const context: ContractContext = {
      bus: () => {
        if (!current) throw new Error('the bus is only open inside a test');
        return current;
      },
      subscribe: async (options) => {
        const subscription = await context.bus().subscribe(options);
        subscriptions.push(subscription);
        return subscription;
      },
    };

    describeDelivery(context);
    describeConcurrency(context);
    describeConsumerGroups(context);
    describeResuming(context);
    describeRetries(context);
    describeDeadLetters(context);
    describeBacklog(context);
  });
}
