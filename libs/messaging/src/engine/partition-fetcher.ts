import type { MessageLog, StoredMessage } from '../log/message-log';
import type { ConcurrencyLimit } from './concurrency-limit';
import { deliverWithRetries } from './deliver-with-retries';
import type { DeliveryPolicy } from './deliver-with-retries';
import type { StopSignal } from './stop-signal';
import { WakeSignal } from './wake-signal';

/** Wait after a storage failure (read or commit) before the fetcher tries again. */
const STORAGE_FAILURE_BACKOFF_MS = 100;

export interface FetcherContext {
  readonly log: MessageLog;
  readonly groupId: string;
  readonly fetchBatchSize: number;
  readonly limit: ConcurrencyLimit;
  readonly stop: StopSignal;
  readonly policy: DeliveryPolicy;
  readonly onError: (error: unknown) => void;
}

/**
 * Consumes one partition for one subscription: read a batch, run its key groups
 * concurrently (each key in offset order), commit the offset after the longest finished
 * prefix, repeat; sleep on the WakeSignal when the partition is drained.
 *
 * Committing only a finished prefix is what makes delivery at-least-once: a message is
 * committed only after it and every message before it in the partition were handled or
 * dead-lettered.
 */
export class PartitionFetcher {
  readonly wake = new WakeSignal();
  private position: number;

  constructor(
    private readonly topic: string,
    private readonly partition: number,
    startOffset: number,
    private readonly context: FetcherContext,
  ) {
    this.position = startOffset;
  }

  /** Whether everything before `offset` was handled (committed). */
  readPast(offset: number): boolean {
    return this.position >= offset;
  }

  async run(): Promise<void> {
    const { log, fetchBatchSize, stop } = this.context;
    while (!stop.stopped) {
      const seen = this.wake.generation;
      try {
        const batch = await log.read(this.topic, this.partition, this.position, fetchBatchSize);
        if (batch.length === 0) await this.wake.waitSince(seen);
        else {
          await this.consume(batch);
          // A short batch was the partition's end when read: unless an append woke it since, reading
          // again would find nothing. Skipping that read halves the reads of a lightly loaded consumer.
          if (batch.length < fetchBatchSize && !stop.stopped) await this.wake.waitSince(seen);
        }
      } catch (error) {
        this.context.onError(error);
        await stop.pause(STORAGE_FAILURE_BACKOFF_MS);
      }
    }
  }

  private async consume(batch: readonly StoredMessage[]): Promise<void> {
    const { limit, stop, policy } = this.context;
    const done = new Uint8Array(batch.length);
    const runs = [...indicesByKey(batch).values()].map((indices) =>
      limit.run(async () => {
        for (const index of indices) {
          if (stop.stopped) return;
          if ((await deliverWithRetries(batch[index] as StoredMessage, policy)) === 'abandoned') return;
          done[index] = 1;
        }
      }),
    );
    const failure = (await Promise.allSettled(runs)).find((result) => result.status === 'rejected');
    await this.commitFinishedPrefix(batch, done);
    if (failure) throw (failure as PromiseRejectedResult).reason;
  }

  private async commitFinishedPrefix(batch: readonly StoredMessage[], done: Uint8Array): Promise<void> {
    let finished = 0;
    while (finished < batch.length && done[finished] === 1) finished++;
    if (finished === 0) return;
    const next = (batch[finished - 1] as StoredMessage).offset + 1;
    await this.context.log.commit(this.context.groupId, [
      { topic: this.topic, partition: this.partition, offset: next },
    ]);
    this.position = next;
  }
}

function indicesByKey(batch: readonly StoredMessage[]): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  batch.forEach((message, index) => {
    const group = groups.get(message.key);
    if (group) group.push(index);
    else groups.set(message.key, [index]);
  });
  return groups;
}
