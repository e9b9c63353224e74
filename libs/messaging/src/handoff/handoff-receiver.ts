import { StockadeError } from '@stockade/kernel';
import type { StoredMessage } from '../log/message-log';
import type { ConcurrencyLimit } from '../engine/concurrency-limit';
import { deliverWithRetries, type DeliveryPolicy } from '../engine/deliver-with-retries';
import type { HandedRecord, HandoffConsumer } from './handed-record';

/**
 * One consumer group's delivery of a handed-over topic, in this thread: the same engine as a
 * partition fetcher (retries, dead letters, the subscription's concurrency limit), fed from
 * memory instead of the log. Messages of one key are handled one after another in the order they
 * were handed over, across deliveries; messages of different keys concurrently.
 *
 * There are no log offsets: a handed-over message is numbered per partition from the receiver's
 * start, which is what a dead letter's `x-dlq-original-offset` then says.
 */
export class HandoffReceiver implements HandoffConsumer {
  /** The last delivery of each key still running: the next message of that key waits for it. */
  private readonly tails = new Map<string, Promise<unknown>>();
  private readonly nextOffset = new Map<number, number>();

  constructor(
    private readonly topic: string,
    private readonly limit: ConcurrencyLimit,
    private readonly policy: DeliveryPolicy,
  ) {}

  async deliver(records: readonly HandedRecord[]): Promise<void> {
    const outcomes = records.map((record) => this.enqueue(this.numbered(record)));
    const results = await Promise.all(outcomes);
    if (results.includes('abandoned'))
      throw new StockadeError('UNAVAILABLE', `the consumer of ${this.topic} stopped before handling every message`, {
        retriable: true,
      });
  }

  private enqueue(message: StoredMessage): Promise<'handled' | 'dead-lettered' | 'abandoned'> {
    const previous = this.tails.get(message.key);
    const run = async () => {
      if (previous) await previous;
      if (this.policy.stop.stopped) return 'abandoned' as const;
      return this.limit.run(() => deliverWithRetries(message, this.policy));
    };
    const outcome = run();
    // The next message of the key waits for this one, whatever became of it (an abandoned one ends the chain anyway).
    const tail = outcome.catch(() => undefined);
    this.tails.set(message.key, tail);
    void tail.then(() => {
      if (this.tails.get(message.key) === tail) this.tails.delete(message.key);
    });
    return outcome;
  }

  private numbered(record: HandedRecord): StoredMessage {
    const offset = this.nextOffset.get(record.partition) ?? 0;
    this.nextOffset.set(record.partition, offset + 1);
    return { ...record, topic: this.topic, offset };
  }
}
