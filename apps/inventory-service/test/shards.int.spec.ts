import type { CheckoutRequest } from '@stockade/contracts';
import { partitionForKey } from '@stockade/messaging';
import { Client } from 'pg';
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
    const envelope = JSON.parse(message.value) as {
      messageId: string;
      type: string;
      data: { orderId: string; reasons?: string[]; lines?: { sku: string; quantity: number }[] };
    };
    if (!TERMINAL.has(envelope.type)) continue;
    const known = byOrder.get(envelope.data.orderId);
    if (known) known.messageIds.add(envelope.messageId);
    else
      byOrder.set(envelope.data.orderId, {
        type: envelope.type,
        messageIds: new Set([envelope.messageId]),
        reasons: envelope.data.reasons ?? [],
        lines: envelope.data.lines ?? [],
      });
  }
  return byOrder;
}

/** The shards an instance says it owns (`stockade_inventory_shard_owned`), and its fence refusals. */
async function shardMetrics(url: string): Promise<{ owned: number[]; fenceRefusals: number }> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const owned = [...text.matchAll(/^stockade_inventory_shard_owned\{shard="(\d+)"\} 1$/gm)].map((match) =>
    Number(match[1]),
  );
  const fenceRefusals = [...text.matchAll(/^stockade_inventory_fence_refusals_total\{shard="\d+"\} (\d+)$/gm)].reduce(
    (sum, match) => sum + Number(match[1]),
    0,
  );
  return { owned, fenceRefusals };
}

/** Each shard's fence epoch: it rises every time an instance takes the shard. */
async function fenceEpochs(schema: string): Promise<Map<number, number>> {
  const pg = new Client({ connectionString: POSTGRES_URL });
  await pg.connect();
  try {
    const { rows } = await pg.query<{ name: string; epoch: string }>(`SELECT name, epoch::text FROM ${schema}.fences`);
    return new Map(rows.map((row) => [Number(row.name.replace('inventory-shard-', '')), Number(row.epoch)]));
  } finally {
    await pg.end();
  }
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

const STOCK_PER_SKU = 30;
const SKUS = skusOnEveryShard();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `read` gives a value `done` accepts (a rebalance takes a few seconds to settle); the last value otherwise. */
async function settled<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await sleep(250);
  }
}

/** A stack with sharded inventory, the outcomes it published, and the checks every test makes. */
class ShardedRun {
  readonly stack = new DistributedStack(POSTGRES_URL, {
    STOCKADE_INVENTORY_SHARDS: String(SHARDS),
    KAFKA_TOPIC_PARTITIONS: String(SHARDS),
    KAFKA_SESSION_TIMEOUT_MS: '6000',
    KAFKA_HEARTBEAT_INTERVAL_MS: '1000',
  });
  private outcomes: TopicRecorder | undefined;
  inventoryEvents: TopicRecorder | undefined;

  async start(extraInstances: number): Promise<void> {
    await this.stack.start();
    for (let n = 0; n < extraInstances; n++) await this.stack.addInventoryInstance();
    this.outcomes = new TopicRecorder(this.stack.kafka, this.stack.topic('order.events'));
    await this.outcomes.start();
    this.inventoryEvents = new TopicRecorder(this.stack.kafka, this.stack.topic('inventory.events'));
    await this.inventoryEvents.start();
    await this.restock();
  }

  async restock(): Promise<void> {
    for (const sku of SKUS) await this.stack.client().receiveStock(sku, STOCK_PER_SKU);
  }

  async stop(): Promise<void> {
    await this.outcomes?.stop();
    await this.inventoryEvents?.stop();
    await this.stack.stop();
  }

  /** Checkouts over Kafka: most of one SKU, a third spanning two shards; demand is about three times the stock. */
  checkoutsFor(wave: string, count: number): CheckoutRequest[] {
    return Array.from({ length: count }, (_, n) => {
      const first = SKUS[n % SKUS.length] as string;
      const second = SKUS[(n * 7 + 5) % SKUS.length] as string;
      const spans = n % 3 === 0 && partitionForKey(first, SHARDS) !== partitionForKey(second, SHARDS);
      return {
        checkoutId: `${wave}-${n}`,
        customerId: `c-${n}`,
        lines: spans
          ? [
              { sku: first, quantity: 1, unitPrice: 5 },
              { sku: second, quantity: 1, unitPrice: 5 },
            ]
          : [{ sku: first, quantity: 1 + (n % 2), unitPrice: 5 }],
      };
    });
  }

  async publish(checkouts: readonly CheckoutRequest[], batchPauseMs = 0): Promise<void> {
    for (let start = 0; start < checkouts.length; start += 100) {
      await this.stack.publish(
        'checkout.requested',
        checkouts
          .slice(start, start + 100)
          .map((checkout) => ({ key: checkout.checkoutId, value: JSON.stringify(checkout) })),
      );
      if (batchPauseMs > 0) await sleep(batchPauseMs);
    }
  }

  /** Held parts of rejected orders are released just after the outcome: wait until nothing is reserved. */
  async settledStock(sku: string) {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const view = await this.stack.client().stock(sku);
      if (view.reserved === 0 || Date.now() > deadline) return view;
      await sleep(200);
    }
  }

  async waitForOutcomes(ids: readonly string[], timeoutMs = 180_000): Promise<Map<string, Outcome>> {
    const outcomes = this.outcomes as TopicRecorder;
    await outcomes.waitFor(
      (messages) => ids.every((id) => outcomesOf(messages).has(id)),
      `outcomes of ${ids.length} checkouts`,
      timeoutMs,
    );
    return outcomesOf(outcomes.messages);
  }

  /** Exactly one outcome per checkout, no SKU below zero or left reserved, and the invariant check finds nothing. */
  async expectEveryPromiseKept(checkouts: readonly CheckoutRequest[]): Promise<void> {
    const byOrder = await this.waitForOutcomes(checkouts.map((checkout) => checkout.checkoutId));
    expect([...byOrder.values()].filter((outcome) => outcome.messageIds.size > 1)).toEqual([]);
    for (const sku of SKUS) {
      const view = await this.settledStock(sku);
      expect({ sku, reserved: view.reserved, notNegative: view.available >= 0 }).toEqual({
        sku,
        reserved: 0,
        notNegative: true,
      });
    }
    expect((await this.stack.client().check()).findings).toEqual([]);
  }
}

/**
 * Inventory as several instances (ADR 0020) on real Kafka and PostgreSQL: SKUs sharded over six
 * partitions of inventory.commands, three inventory processes in one consumer group, orders
 * spanning shards. The promises of one instance must hold across three, across a kill -9 and
 * across a deposed owner that wakes up.
 */
describe('inventory sharded over three instances, on real Kafka and PostgreSQL', () => {
  const run = new ShardedRun();

  beforeAll(() => run.start(2));
  afterAll(() => run.stop());

  it('given 1,000 checkouts over Kafka for SKUs on six shards held by three instances, a third spanning two shards, then each has exactly one outcome, no SKU sells more than it had, and nothing stays reserved', async () => {
    const checkouts = run.checkoutsFor('wave1', 1_000);
    await run.publish(checkouts);

    const byOrder = await run.waitForOutcomes(checkouts.map((checkout) => checkout.checkoutId));

    expect([...byOrder.values()].filter((outcome) => outcome.messageIds.size > 1)).toEqual([]);
    const sold = new Map<string, number>();
    for (const checkout of checkouts) {
      const outcome = byOrder.get(checkout.checkoutId) as Outcome;
      if (outcome.type === 'OrderCompleted.v1')
        for (const line of outcome.lines) sold.set(line.sku, (sold.get(line.sku) ?? 0) + line.quantity);
    }
    let unitsSold = 0;
    for (const sku of SKUS) {
      const view = await run.settledStock(sku);
      // What the completed orders say was sold is what left the shelf: never more than there was.
      expect({ sku, sold: sold.get(sku) ?? 0, reserved: view.reserved, available: view.available >= 0 }).toEqual({
        sku,
        sold: STOCK_PER_SKU - view.onHand,
        reserved: 0,
        available: true,
      });
      unitsSold += sold.get(sku) ?? 0;
    }
    // Demand is about three times the stock: most of it sells (all-or-nothing orders across shards may leave a few units).
    expect(unitsSold).toBeGreaterThan(SKUS.length * STOCK_PER_SKU * 0.8);
    expect((await run.stack.client().check()).findings).toEqual([]);
    // The three instances share one store and one relay (the owner of shard 0's): each of inventory's answers is published once.
    const answers = (run.inventoryEvents?.messages ?? [])
      .filter((message) => message.key.startsWith('wave1-'))
      .map((message) => (JSON.parse(message.value) as { messageId: string }).messageId);
    expect(answers.length).toBeGreaterThan(1_000);
    expect(answers.length - new Set(answers).size).toBe(0);
  });

  it('given a checkout spanning two shards of different instances, asking more than either has, then it is rejected naming both short lines, as one shard would', async () => {
    const [first, second] = [
      SKUS[0] as string,
      SKUS.find((sku) => partitionForKey(sku, SHARDS) !== partitionForKey(SKUS[0] as string, SHARDS)) as string,
    ];
    const [firstLeft, secondLeft] = [
      (await run.settledStock(first)).available,
      (await run.settledStock(second)).available,
    ];
    const checkout: CheckoutRequest = {
      checkoutId: 'spans-short',
      customerId: 'c-x',
      lines: [
        { sku: first, quantity: firstLeft + 1, unitPrice: 5 },
        { sku: second, quantity: secondLeft + 2, unitPrice: 5 },
      ],
    };
    await run.publish([checkout]);

    const outcome = (await run.waitForOutcomes([checkout.checkoutId])).get(checkout.checkoutId);

    expect(outcome).toMatchObject({
      type: 'OrderRejected.v1',
      reasons: [
        `${first}: only ${firstLeft} available, ${firstLeft + 1} requested`,
        `${second}: only ${secondLeft} available, ${secondLeft + 2} requested`,
      ],
    });
  });

  it('given load on restocked SKUs, when one of the three instances is kill -9ed, then its shards move to the others, every checkout still gets exactly one outcome, and nothing is oversold or left reserved', async () => {
    await run.restock();
    const checkouts = run.checkoutsFor('wave2', 600);
    const publishing = run.publish(checkouts);
    await sleep(1_500);
    const killedAt = Date.now();
    await run.stack.moreInventories[0]?.kill();
    const survivors = [run.stack.inventory, run.stack.moreInventories[1]].map((instance) => instance?.url as string);
    const owners = await settled(
      () => Promise.all(survivors.map((url) => shardMetrics(url))),
      (all) => all.reduce((count, metrics) => count + metrics.owned.length, 0) === SHARDS,
    );
    const movedAfterMs = Date.now() - killedAt;
    await publishing;

    await run.waitForOutcomes(checkouts.map((checkout) => checkout.checkoutId));

    process.stdout.write(
      `kill -9 of one inventory instance of three: its shards assigned to the other two ${movedAfterMs} ms after the kill; the last of 600 outcomes ${Date.now() - killedAt} ms after it\n`,
    );
    expect(owners.flatMap((metrics) => metrics.owned).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5]);
    await run.expectEveryPromiseKept(checkouts);
  });

  it('given load, when an instance is paused past its session timeout (SIGSTOP) and then woken (SIGCONT), then its shards were fenced by the instance that took them, and every checkout still gets exactly one outcome with nothing oversold or left reserved', async () => {
    await run.restock();
    const sleeper = run.stack.moreInventories[1];
    if (!sleeper?.pid) throw new Error('the second added instance is not running');
    const { owned } = await shardMetrics(sleeper.url);
    expect(owned.length).toBeGreaterThan(0);
    const checkouts = run.checkoutsFor('wave3', 600);
    const publishing = run.publish(checkouts, 100);
    await sleep(500);
    const before = await fenceEpochs(run.stack.schemas.inventory);

    process.kill(sleeper.pid, 'SIGSTOP');
    // Past the 6 s session timeout the group drops it, and the other instance takes its shards under new fence epochs
    // (once it has finished the batch in hand: a busy member rejoins between batches).
    const awake = run.stack.inventory;
    await settled(
      () => shardMetrics(awake.url),
      (metrics) => owned.every((shard) => metrics.owned.includes(shard)),
      60_000,
    );
    const whileAsleep = await settled(
      () => fenceEpochs(run.stack.schemas.inventory),
      (epochs) => owned.every((shard) => (epochs.get(shard) ?? 0) > (before.get(shard) ?? 0)),
      10_000,
    );
    process.kill(sleeper.pid, 'SIGCONT');
    await publishing;

    await run.expectEveryPromiseKept(checkouts);
    const { fenceRefusals } = await shardMetrics(sleeper.url);
    process.stdout.write(
      `SIGSTOP of an inventory instance owning shards ${owned.join(',')}: its appends the fences refused after it woke: ${fenceRefusals}\n`,
    );
    // Every shard it held had a newer fence epoch while it slept: whatever it had in hand when it woke, the store refused.
    expect(owned.filter((shard) => (whileAsleep.get(shard) ?? 0) <= (before.get(shard) ?? 0))).toEqual([]);
  });
});

/**
 * Scaling out and back in under load: shards move on every join and every leave, and each move is
 * a handover (the leaver finishes its batch and leaves the group; the joiner takes the fence and
 * loads the shard's SKUs from the store).
 */
describe('inventory scaled from one instance to three and back to one, under load, on real Kafka and PostgreSQL', () => {
  const run = new ShardedRun();

  beforeAll(() => run.start(0));
  afterAll(() => run.stop());

  it('given checkouts published steadily, when two instances join and then leave (SIGTERM), then every checkout gets exactly one outcome, nothing is oversold or left reserved, and the last instance owns every shard again', async () => {
    const checkouts = run.checkoutsFor('scale', 900);
    const publishing = run.publish(checkouts, 150);

    const [second, third] = [await run.stack.addInventoryInstance(), await run.stack.addInventoryInstance()];
    const ownedByThree = await settled(
      () => Promise.all([run.stack.inventory, second, third].map((instance) => shardMetrics(instance.url))),
      (all) => all.every((metrics) => metrics.owned.length === SHARDS / 3),
    );
    const leaving = await Promise.all([second.stopWithin(15_000), third.stopWithin(15_000)]);
    await publishing;

    await run.expectEveryPromiseKept(checkouts);
    expect(leaving).toEqual(['exited', 'exited']);
    expect(ownedByThree.map((metrics) => metrics.owned.length)).toEqual([2, 2, 2]);
    expect(
      (
        await settled(
          () => shardMetrics(run.stack.inventory.url),
          (metrics) => metrics.owned.length === SHARDS,
        )
      ).owned,
    ).toEqual([0, 1, 2, 3, 4, 5]);
  });
});
