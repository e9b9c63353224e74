import { createServer } from 'node:http';
import { Kafka, logLevel } from 'kafkajs';
import type { CheckoutRequest } from '@stockade/contracts';
import { baselineConfigFromEnv, openBaselinePool } from './baseline-config';
import { checkoutOf } from './baseline-checkout';
import type { BaselineDecision } from './guarded-checkout';

/**
 * The PostgreSQL baseline fed from Kafka, for the distributed comparison: a consumer of the
 * checkout topic that decides each checkout as the HTTP baseline does (one round trip to the
 * checkout function, or the multi-statement transaction) and publishes each decision to an
 * outcomes topic, in the envelope Stockade's order.events uses. A batch's checkouts run
 * concurrently over the pool; its outcomes are published before its offsets are committed, so
 * a crash redelivers rather than loses (a redelivered checkout answers its earlier decision, with
 * the same message id). GET /health answers once the consumer has joined its group.
 */
async function main(): Promise<void> {
  const config = baselineConfigFromEnv();
  const [checkoutTopic, outcomeTopic, brokers] = [
    'BASELINE_CHECKOUT_TOPIC',
    'BASELINE_OUTCOME_TOPIC',
    'KAFKA_BROKERS',
  ].map((name) => {
    const value = process.env[name];
    if (!value) throw new Error(`${name} is not set`);
    return value;
  }) as [string, string, string];
  const pool = await openBaselinePool(config);
  const decideCheckout = checkoutOf(config.checkout);
  const kafka = new Kafka({ clientId: 'baseline', brokers: brokers.split(','), logLevel: logLevel.ERROR });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  const consumer = kafka.consumer({ groupId: `${checkoutTopic}.baseline`, maxWaitTimeInMs: 50 });
  let joined = false;
  consumer.on(consumer.events.GROUP_JOIN, () => (joined = true));
  await Promise.all([producer.connect(), consumer.connect()]);
  await consumer.subscribe({ topic: checkoutTopic, fromBeginning: true });
  await consumer.run({
    partitionsConsumedConcurrently: 4,
    eachBatchAutoResolve: false,
    eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
      const outcomes = await Promise.all(
        batch.messages.map(async (message) => {
          const checkout = JSON.parse(message.value?.toString() ?? '') as CheckoutRequest;
          return outcomeMessage(checkout.checkoutId, await decideCheckout(pool, config.tables, checkout));
        }),
      );
      if (outcomes.length > 0) await producer.send({ topic: outcomeTopic, acks: -1, messages: outcomes });
      const last = batch.messages.at(-1);
      if (last) resolveOffset(last.offset);
      await heartbeat();
    },
  });

  const health = createServer((_request, response) => response.writeHead(joined ? 200 : 503).end());
  health.listen(config.port, '127.0.0.1');
  process.once('SIGTERM', () => {
    health.close();
    void Promise.all([consumer.disconnect(), producer.disconnect()])
      .then(() => pool.end())
      .finally(() => process.exit(0));
  });
}

/** The outcome in Stockade's envelope shape; the message id is per checkout, so publishing it again is the same message. */
function outcomeMessage(checkoutId: string, decision: BaselineDecision): { key: string; value: string } {
  const envelope = {
    messageId: `baseline-outcome-${checkoutId}`,
    type: decision.status === 'COMPLETED' ? 'OrderCompleted.v1' : 'OrderRejected.v1',
    correlationId: checkoutId,
    causationId: checkoutId,
    occurredAt: new Date().toISOString(),
    data: { orderId: checkoutId },
  };
  return { key: checkoutId, value: JSON.stringify(envelope) };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
