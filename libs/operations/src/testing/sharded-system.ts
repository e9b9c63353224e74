import { shardOfSku, TOPICS } from '@stockade/contracts';
import { InMemoryEventStore } from '@stockade/event-store';
import { createInventoryService, InventoryService } from '@stockade/inventory-service';
import { ManualClock } from '@stockade/kernel';
import type { RelayedMessage } from '@stockade/messaging';
import { createOrderingService } from '@stockade/ordering-service';

export const SHARDS = 4;
let skuCounter = 0;
/** A fresh SKU on the given shard, found by the broker's own hash. */
export const skuOn = (shard: number): string => {
  for (;;) {
    const sku = `PART-SKU-${skuCounter++}`;
    if (shardOfSku(sku, SHARDS) === shard) return sku;
  }
};

/**
 * The order saga against two inventory instances that own two shards each (ADR 0020), in
 * process: every message goes where the bus would put it (inventory commands to the owner of
 * their partition), until nothing is left to deliver. A command sent to an instance that does not
 * own its shard would fail the delivery (ShardNotOwned), so routing is checked on the way.
 * `unowned` shards play a shard with no owner: their commands wait, undelivered, until it is owned again.
 */
export async function shardedSystem() {
  const clock = new ManualClock('2026-12-02T10:00:00.000Z');
  const inventoryStore = new InMemoryEventStore(() => clock.now());
  const orderStore = new InMemoryEventStore(() => clock.now());
  const instances: InventoryService[] = [0, 1].map(() =>
    createInventoryService({ store: inventoryStore, shards: SHARDS, clock }),
  );
  const [a, b] = instances as [InventoryService, InventoryService];
  a.ownership?.assign([0, 1]);
  b.ownership?.assign([2, 3]);
  const ordering = createOrderingService({
    store: orderStore,
    clock,
    inventoryShards: SHARDS,
    partsAnswerTimeoutMs: 30_000,
  });
  const delivered = new Set<string>();
  const unowned = new Set<number>();
  const owner = (partition: number) => (partition < 2 ? a : b);

  const pending = async (): Promise<RelayedMessage[]> => {
    const fromOrders = (await orderStore.readAll({ limit: 100_000 })).flatMap(ordering.outbox);
    const fromInventory = (await inventoryStore.readAll({ limit: 100_000 })).flatMap(a.outbox);
    return [...fromOrders, ...fromInventory].filter(
      ({ message }) => !delivered.has((message.value as { messageId: string }).messageId),
    );
  };

  const settle = async (): Promise<void> => {
    for (let round = 0; round < 50; round++) {
      const next = (await pending()).filter(
        ({ topic, message }) => !(topic === TOPICS.inventoryCommands && unowned.has(message.partition ?? -1)),
      );
      if (next.length === 0) return;
      for (const { topic, message } of next) {
        delivered.add((message.value as { messageId: string }).messageId);
        const value = JSON.stringify(message.value);
        if (topic === TOPICS.inventoryCommands) {
          if (message.partition === undefined)
            throw new Error('an inventory command without a partition on a sharded inventory');
          await owner(message.partition).commandHandler.handle(value);
        } else if (topic === TOPICS.inventoryEvents) await ordering.service.handleInventoryEvent(value);
        else if (topic === TOPICS.paymentCommands) await ordering.service.handlePaymentCommand(value);
      }
    }
    throw new Error('messages kept coming after 50 rounds');
  };

  const receive = async (sku: string, quantity: number) =>
    owner(shardOfSku(sku, SHARDS)).facade.receiveStock(sku, quantity);
  const stock = async (sku: string) => a.queries.getStock(sku);
  return {
    ordering: ordering.service,
    settle,
    receive,
    stock,
    orderStore,
    inventoryStore,
    clock,
    unowned,
    partsAnswerDeadline: ordering.partsAnswerDeadline,
  };
}
