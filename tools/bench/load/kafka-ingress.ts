import type { Kafka, Producer } from 'kafkajs';
import { epochMs } from './clock';
import { Ingress, IngressLog } from './ingress';

/** Messages per produce request; also what the closed loop puts in one send. */
const MESSAGES_PER_SEND = 500;

/**
 * Checkouts published to a Kafka topic as an upstream would: key = checkout id, value = the
 * checkout as JSON, acks from every in-sync replica. Not an idempotent producer: with one
 * request in flight it would serialise the open loop's sends behind each other's acks and
 * charge that wait to the arm.
 */
export async function kafkaIngress(kafka: Kafka, topic: string, log: IngressLog): Promise<Ingress> {
  const producer: Producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  return {
    unitSize: MESSAGES_PER_SEND,
    closedLoopConcurrency: 2,
    async send(deliveries, intendedAtMs) {
      try {
        await producer.send({
          topic,
          acks: -1,
          messages: deliveries.map((checkout) => ({ key: checkout.checkoutId, value: JSON.stringify(checkout) })),
        });
        const now = epochMs();
        for (const checkout of deliveries) log.answered(checkout.checkoutId, intendedAtMs, now);
      } catch (error) {
        for (const checkout of deliveries) log.failed(checkout.checkoutId, (error as Error).message);
      }
    },
    async close() {
      await producer.disconnect();
    },
  };
}
