import type { CheckoutRequest } from '@stockade/contracts';
import { partitionForKey } from '@stockade/messaging';
import { DistributedStack, POSTGRES_URL } from '../../../tools/client/distributed-stack';
import { RecordedMessage, TopicRecorder } from '../../../tools/client/topic-recorder';

jest.setTimeout(240_000);

const SHARDS = 6;
const TERMINAL = new Set(['OrderCompleted.v1', 'OrderRejected.v1', 'OrderCancelled.v1']);

interface Outcome {
  readonly type: string;
  readonly messageIds: Set<string>;
  readonly reasons: readonly string[];
  readonly lines: readonly { sku: string; quantity: number }[];
}

function outcomesOf(messages: readonly RecordedMessage[]): Map<string, Outcome> {
  const byOrder = new Map<string, Outcome>();
  for (const message of messages) {
    const envelope = JSON.parse(message.value) as { messageId: string; type: string; data: { orderId: string; reasons?: string[]; lines?: { sku: string; quantity: number }[] } };
    if (!TERMINAL.has(envelope.type)) continue;
    const known = byOrder.get(envelope.data.orderId);
    if (known) known.messageIds.add(envelope.messageId);
    else byOrder.set(envelope.data.orderId, { type: envelope.type, messageIds: new Set([envelope.messageId]), reasons: envelope.data.reasons ?? [], lines: envelope.data.lines ?? [] });
  }
  return byOrder;
}

/** Two SKUs on each of the six shards, by the broker's own hash. */
function skusOnEveryShard(): string[] {
  const byShard = new Map<number, string[]>();
  for (let n = 0; [...byShard.values()].reduce((count, skus) => count + skus.length, 0) < SHARDS * 2; n++) {
    const sku = `SH-${n}`;
    const shard = partitionForKey(sku, SHARDS);
    if ((byShard.get(shard)?.length ?? 0) < 2) byShard.set(shard, [...(byShard.get(shard) ?? []), sku]);
  }
  return [...byShard.values()].flat();
}

/**
 * Inventory as several instances (ADR 0020) on real Kafka and PostgreSQL: SKUs sharded over six
 * partitions of inventory.commands, three inventory processes in one consumer group, orders
 * spanning shards. The promises of one instance must hold across three, and across a kill -9.
 */
describe('inventory sharded over three instances, on real Kafka and PostgreSQL', () => {
  let stack: DistributedStack;
  let outcomes: TopicRecorder;
  const skus = skusOnEveryShard();
  const STOCK_PER_SKU = 30;

  beforeAll(async () => {
    stack = new DistributedStack(POSTGRES_URL, { STOCKADE_INVENTORY_SHARDS: String(SHARDS), KAFKA_TOPIC_PARTITIONS: String(SHARDS), KAFKA_SESSION_TIMEOUT_MS: '6000', KAFKA_HEARTBEAT_INTERVAL_MS: '1000' });
    await stack.start();
    await stack.addInventoryInstance();
    await stack.addInventoryInstance();
    outcomes = new TopicRecorder(stack.kafka, stack.topic('order.events'));
    await outcomes.start();
    for (const sku of skus) await stack.client().receiveStock(sku, STOCK_PER_SKU);
  });

  afterAll(async () => {
    await outcomes?.stop();
    await stack?.stop();
  });

  /** Checkouts over Kafka: most of one SKU, a third spanning two shards; demand is three times the stock. */
  function checkoutsFor(wave: string, count: number): CheckoutRequest[] {
    return Array.from({ length: count }, (_, n) => {
      const first = skus[n % skus.length] as string;
      const second = skus[(n * 7 + 5) % skus.length] as string;
      const spans = n % 3 === 0 && partitionForKey(first, SHARDS) !== partitionForKey(second, SHARDS);
      return {
        checkoutId: `${wave}-${n}`,
        customerId: `c-${n}`,
        lines: spans ? [{ sku: first, quantity: 1, unitPrice: 5 }, { sku: second, quantity: 1, unitPrice: 5 }] : [{ sku: first, quantity: 1 + (n % 2), unitPrice: 5 }],
      };
    });
  }

  async function publish(checkouts: readonly CheckoutRequest[]): Promise<void> {
    for (let start = 0; start < checkouts.length; start += 100) {
      await stack.publish('checkout.requested', checkouts.slice(start, start + 100).map((checkout) => ({ key: checkout.checkoutId, value: JSON.stringify(checkout) })));
    }
  }

  /** Held parts of rejected orders are released just after the outcome: wait until nothing is reserved. */
  async function settledStock(sku: string) {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const view = await stack.client().stock(sku);
      if (view.reserved === 0 || Date.now() > deadline) return view;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  async function waitForOutcomes(ids: readonly string[], timeoutMs = 180_000): Promise<Map<string, Outcome>> {
    await outcomes.waitFor((messages) => ids.every((id) => outcomesOf(messages).has(id)), `outcomes of ${ids.length} checkouts`, timeoutMs);
    return outcomesOf(outcomes.messages);
  }

  it('given 1,000 checkouts over Kafka for SKUs on six shards held by three instances, a third spanning two shards, then each has exactly one outcome, no SKU sells more than it had, and nothing stays reserved', async () => {
    const checkouts = checkoutsFor('wave1', 1_000);
    await publish(checkouts);

    const byOrder = await waitForOutcomes(checkouts.map((checkout) => checkout.checkoutId));

    expect([...byOrder.values()].filter((outcome) => outcome.messageIds.size > 1)).toEqual([]);
    const sold = new Map<string, number>();
    for (const checkout of checkouts) {
      const outcome = byOrder.get(checkout.checkoutId) as Outcome;
      if (outcome.type === 'OrderCompleted.v1') for (const line of outcome.lines) sold.set(line.sku, (sold.get(line.sku) ?? 0) + line.quantity);
    }
    let unitsSold = 0;
    for (const sku of skus) {
      const view = await settledStock(sku);
      // What the completed orders say was sold is what left the shelf: never more than there was.
      expect({ sku, sold: sold.get(sku) ?? 0, reserved: view.reserved, available: view.available >= 0 }).toEqual({ sku, sold: STOCK_PER_SKU - view.onHand, reserved: 0, available: true });
      unitsSold += sold.get(sku) ?? 0;
    }
    // Demand is about three times the stock: most of it sells (all-or-nothing orders across shards may leave a few units).
    expect(unitsSold).toBeGreaterThan(skus.length * STOCK_PER_SKU * 0.8);
    expect((await stack.client().check()).findings).toEqual([]);
  });

  it('given a checkout spanning two shards of different instances, asking more than either has, then it is rejected naming both short lines, as one shard would', async () => {
    const [first, second] = [skus[0] as string, skus.find((sku) => partitionForKey(sku, SHARDS) !== partitionForKey(skus[0] as string, SHARDS)) as string];
    const [firstLeft, secondLeft] = [(await settledStock(first)).available, (await settledStock(second)).available];
    const checkout: CheckoutRequest = {
      checkoutId: 'spans-short',
      customerId: 'c-x',
      lines: [
        { sku: first, quantity: firstLeft + 1, unitPrice: 5 },
        { sku: second, quantity: secondLeft + 2, unitPrice: 5 },
      ],
    };
    await publish([checkout]);

    const outcome = (await waitForOutcomes([checkout.checkoutId])).get(checkout.checkoutId);

    expect(outcome).toMatchObject({
      type: 'OrderRejected.v1',
      reasons: [`${first}: only ${firstLeft} available, ${firstLeft + 1} requested`, `${second}: only ${secondLeft} available, ${secondLeft + 2} requested`],
    });
  });

  it('given load on restocked SKUs, when one of the three instances is kill -9ed, then its shards move to the others, every checkout still gets exactly one outcome, and nothing is oversold or left reserved', async () => {
    for (const sku of skus) await stack.client().receiveStock(sku, STOCK_PER_SKU);
    const checkouts = checkoutsFor('wave2', 600);
    const publishing = publish(checkouts);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const killedAt = Date.now();
    await stack.moreInventories[0]?.kill();
    await publishing;

    const byOrder = await waitForOutcomes(checkouts.map((checkout) => checkout.checkoutId));

    process.stdout.write(`kill -9 of one inventory instance of three: the last of 600 outcomes came ${Date.now() - killedAt} ms after the kill\n`);
    expect([...byOrder.values()].filter((outcome) => outcome.messageIds.size > 1)).toEqual([]);
    for (const sku of skus) {
      const view = await settledStock(sku);
      expect({ sku, reserved: view.reserved, notNegative: view.available >= 0 }).toEqual({ sku, reserved: 0, notNegative: true });
    }
    expect((await stack.client().check()).findings).toEqual([]);
  });
});
