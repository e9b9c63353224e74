import type { CheckoutRequest } from '@stockade/contracts';
import type { Kafka, Producer } from 'kafkajs';
import { epochMs } from '../load/clock';

/** Produce requests in flight: a second one hides the first's ack round trip. */
const IN_FLIGHT = 2;

/**
 * An upstream's producer for the checkout topic. Not idempotent, as in the main bench's Kafka
 * ingress: an idempotent producer allows one request in flight and would pace the burst on acks.
 */
export class CheckoutPublisher {
  private producer: Producer | undefined;

  constructor(
    private readonly kafka: Kafka,
    private readonly topic: string,
    private readonly batch: number,
  ) {}

  /**
   * Publishes every checkout as fast as the broker takes them; returns when each was handed to
   * its produce request (epoch ms), the start of its publish → outcome latency. A failed send
   * throws: a checkout that may not have arrived has no latency to measure.
   */
  async publish(checkouts: readonly CheckoutRequest[]): Promise<Map<string, number>> {
    const producer = await this.connected();
    const publishedAt = new Map<string, number>();
    let next = 0;
    const sender = async () => {
      while (next < checkouts.length) {
        const slice = checkouts.slice(next, next + this.batch);
        next += slice.length;
        const at = epochMs();
        for (const checkout of slice) publishedAt.set(checkout.checkoutId, at);
        await producer.send({
          topic: this.topic,
          acks: -1,
          messages: slice.map((checkout) => ({ key: checkout.checkoutId, value: JSON.stringify(checkout) })),
        });
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, sender));
    return publishedAt;
  }

  async close(): Promise<void> {
    await this.producer?.disconnect();
  }

  private async connected(): Promise<Producer> {
    if (!this.producer) {
      this.producer = this.kafka.producer({ allowAutoTopicCreation: false });
      await this.producer.connect();
    }
    return this.producer;
  }
}
