import type { EachBatchPayload, KafkaMessage } from 'kafkajs';
import type { ConcurrencyLimit } from '../engine/concurrency-limit';
import { deliverWithRetries } from '../engine/deliver-with-retries';
import type { DeliveryPolicy } from '../engine/deliver-with-retries';
import type { StoredMessage } from '../log/message-log';
import type { BatchStopSignals } from './batch-stop-signals';
import { storedMessageFrom } from './kafka-records';

export interface KafkaBatchContext {
  /** Shared by every batch of the subscription, so `concurrency` bounds the subscription. */
  readonly limit: ConcurrencyLimit;
  /** The delivery policy minus its stop signal, which is per batch. */
  readonly policy: Omit<DeliveryPolicy, 'stop'>;
  readonly stops: BatchStopSignals;
  readonly heartbeatIntervalMs: number;
  readonly onConsumerError: (error: unknown) => void;
}

/**
 * The `eachBatch` of a subscription (one topic-partition; kafkajs never hands out two batches
 * of a partition at once): key groups run concurrently, each key in offset order, with the
 * engine's retries and dead letters. Only the finished prefix of the batch is committed and
 * resolved, after the handlers (and dead-letter writes) resolved; kafkajs refetches the rest.
 */
export async function handleKafkaBatch(payload: EachBatchPayload, context: KafkaBatchContext): Promise<void> {
  const { batch } = payload;
  const messages = batch.messages.map((message) => storedMessageFrom(batch.topic, batch.partition, message));
  const stop = context.stops.open();
  // Handlers and retry backoffs may outlast the session timeout: keep the membership alive
  // meanwhile (kafkajs throttles to heartbeatInterval). A failed heartbeat usually means a
  // rebalance: start nothing new, since the partition may already belong to someone else.
  const keepAlive = setInterval(() => {
    payload.heartbeat().catch((error: unknown) => {
      context.onConsumerError(error);
      stop.stop();
    });
  }, context.heartbeatIntervalMs);
  const policy: DeliveryPolicy = { ...context.policy, stop };
  const mayStart = () => !stop.stopped && payload.isRunning() && !payload.isStale();
  const done = new Uint8Array(messages.length);
  try {
    const runs = [...indicesByKey(messages).values()].map((indices) =>
      context.limit.run(async () => {
        for (const index of indices) {
          if (!mayStart()) return;
          if ((await deliverWithRetries(messages[index] as StoredMessage, policy)) === 'abandoned') return;
          done[index] = 1;
        }
      }),
    );
    const failure = (await Promise.allSettled(runs)).find((result) => result.status === 'rejected');
    await commitFinishedPrefix(payload, done);
    if (failure) throw (failure as PromiseRejectedResult).reason;
  } finally {
    clearInterval(keepAlive);
    context.stops.release(stop);
  }
}

/**
 * Commit first, resolve second: if the commit fails, the unresolved messages are refetched
 * (handled again, which idempotent handlers allow) rather than skipped by this consumer and
 * only redelivered after a restart. The commit is explicit because with autoCommit off
 * kafkajs' argument-less commitOffsetsIfNecessary() commits nothing (tulios/kafkajs#1729).
 */
async function commitFinishedPrefix(payload: EachBatchPayload, done: Uint8Array): Promise<void> {
  const { batch } = payload;
  let finished = 0;
  while (finished < done.length && done[finished] === 1) finished++;
  if (finished === 0) return;
  const lastFinished = (batch.messages[finished - 1] as KafkaMessage).offset;
  // At the end of the batch, lastOffset() also covers filtered control records after it.
  const last = finished === batch.messages.length ? batch.lastOffset() : lastFinished;
  const next = (BigInt(last) + 1n).toString();
  await payload.commitOffsetsIfNecessary({
    topics: [{ topic: batch.topic, partitions: [{ partition: batch.partition, offset: next }] }],
  });
  payload.resolveOffset(lastFinished);
}

function indicesByKey(messages: readonly StoredMessage[]): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  messages.forEach((message, index) => {
    const group = groups.get(message.key);
    if (group) group.push(index);
    else groups.set(message.key, [index]);
  });
  return groups;
}
