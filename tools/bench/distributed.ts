import { DistributedStack } from '../client/distributed-stack';
import { TopicRecorder } from '../client/topic-recorder';
import { buildWorkload, WorkloadName } from './workloads';

const TERMINAL = new Set(['OrderCompleted.v1', 'OrderRejected.v1', 'OrderCancelled.v1']);

/**
 * The distributed mode end to end: provision-topics, inventory-service, order-service,
 * cart-service and the gateway as processes on Kafka, PostgreSQL and Redis. Checkouts are
 * published to checkout.requested by a plain kafkajs producer (as an upstream would) and counted
 * as terminal from order.events by a plain consumer.
 */
export async function benchDistributed(name: WorkloadName, count: number) {
  const workload = buildWorkload(name, count);
  const stack = new DistributedStack();
  await stack.start();
  const outcomes = new TopicRecorder(stack.kafka, stack.topic('order.events'));
  try {
    await outcomes.start();
    const client = stack.client();
    for (const [sku, quantity] of workload.stock) await client.receiveStock(sku, quantity);
    const started = performance.now();
    for (let i = 0; i < workload.checkouts.length; i += 500) {
      await stack.publish('checkout.requested', workload.checkouts.slice(i, i + 500).map((c) => ({ key: c.checkoutId, value: JSON.stringify(c) })));
    }
    const published = performance.now();
    const terminal = new Set<string>();
    let seen = 0;
    await outcomes.waitFor(
      (messages) => {
        for (; seen < messages.length; seen++) {
          const envelope = JSON.parse((messages[seen] as { value: string }).value) as { type: string; data: { orderId: string } };
          if (TERMINAL.has(envelope.type)) terminal.add(envelope.data.orderId);
        }
        return terminal.size >= count;
      },
      'every checkout terminal',
      600_000,
    );
    const seconds = (performance.now() - started) / 1000;
    return {
      mode: 'distributed (Kafka, PostgreSQL, Redis; 4 processes + broker on this machine)',
      scenario: name,
      checkouts: count,
      publishedPerSecond: Math.round(count / ((published - started) / 1000)),
      publishToTerminalPerSecond: Math.round(count / seconds),
      peakMemoryMiB: { inventory: stack.inventory.peakMemoryMiB(), orders: stack.orders.peakMemoryMiB() },
    };
  } finally {
    await outcomes.stop();
    await stack.stop();
  }
}
