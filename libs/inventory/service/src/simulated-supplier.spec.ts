import { InMemoryEventStore } from '@stockade/event-store';
import { ManualClock } from '@stockade/kernel';
import type { OutgoingMessage } from '@stockade/messaging';
import { createInventoryOutbox } from './inventory-outbox';
import { InventoryCommandHandler } from './inventory-command-handler';
import { InventoryWriter } from './inventory-writer';
import { SimulatedSupplier, SupplierSimulation } from './simulated-supplier';
import { commandMeta, randomSku } from './testing/inventory-fixtures';

function recordingBus() {
  const published: { topic: string; message: OutgoingMessage }[] = [];
  return {
    published,
    publish: async (topic: string, messages: readonly OutgoingMessage[]) =>
      void published.push(...messages.map((message) => ({ topic, message }))),
  };
}

const reorder = (purchaseOrderId: string, sku: string, quantity: number, occurredAt: string) =>
  JSON.stringify({
    messageId: `reorder-${purchaseOrderId}`,
    type: 'ReorderRequested.v1',
    correlationId: sku,
    causationId: 'c',
    occurredAt,
    data: { purchaseOrderId, sku, quantity, supplierId: 'ACME', available: 2, reorderPoint: 3 },
  });

describe('SimulatedSupplier', () => {
  const simulation: SupplierSimulation = { delayMs: 5_000, partialRate: 0.5, partialFraction: 0.5 };

  it('given the same purchase order twice, then the delivery is the same (deterministic), and about the partial rate of orders are partial', () => {
    const supplier = new SimulatedSupplier(recordingBus(), new ManualClock(), simulation);
    const orders = Array.from({ length: 400 }, (_, index) => ({
      purchaseOrderId: `PO-SKU-${index}`,
      sku: 'SKU',
      quantity: 10,
    }));
    const first = orders.map((order) => supplier.deliveryFor(order));
    expect(orders.map((order) => supplier.deliveryFor(order))).toEqual(first);
    const partial = first.filter((delivery) => delivery.partial);
    expect(partial.length).toBeGreaterThan(150);
    expect(partial.length).toBeLessThan(250);
    expect(new Set(partial.map((delivery) => delivery.quantity))).toEqual(new Set([5]));
  });

  it('given a purchase order requested 2 s ago with a 5 s delay, when handled, then it waits the 3 s left and delivers on inventory.commands keyed by the order', async () => {
    const clock = new ManualClock('2026-12-02T10:00:02.000Z');
    const bus = recordingBus();
    const waits: number[] = [];
    const supplier = new SimulatedSupplier(
      bus,
      clock,
      { ...simulation, partialRate: 0 },
      async (ms) => void waits.push(ms),
    );
    await supplier.handle(reorder('PO-LAMP-0001', 'LAMP', 20, '2026-12-02T10:00:00.000Z'));
    expect(waits).toEqual([3_000]);
    expect(bus.published).toEqual([
      {
        topic: 'inventory.commands',
        message: expect.objectContaining({
          key: 'PO-LAMP-0001',
          value: expect.objectContaining({
            type: 'ReceivePurchaseOrder.v1',
            data: { purchaseOrderId: 'PO-LAMP-0001', sku: 'LAMP', quantity: 20, supplierId: 'ACME' },
          }),
        }),
      },
    ]);
  });

  it('given a redelivered purchase order past its due time, then it does not wait again and the receipt has the same message id', async () => {
    const clock = new ManualClock('2026-12-02T10:01:00.000Z');
    const bus = recordingBus();
    const waits: number[] = [];
    const supplier = new SimulatedSupplier(bus, clock, simulation, async (ms) => void waits.push(ms));
    await supplier.handle(reorder('PO-LAMP-0001', 'LAMP', 20, '2026-12-02T10:00:00.000Z'));
    await supplier.handle(reorder('PO-LAMP-0001', 'LAMP', 20, '2026-12-02T10:00:00.000Z'));
    expect(waits).toEqual([]);
    const ids = bus.published.map(({ message }) => (message.value as { messageId: string }).messageId);
    expect(ids[0]).toBe(ids[1]);
  });

  it('given a SKU drained past its reorder point, when the supplier delivers through the command handler (twice), then the order closes and the goods arrive once', async () => {
    const clock = new ManualClock('2026-12-02T10:00:00.000Z');
    const store = new InMemoryEventStore(() => clock.now());
    const writer = new InventoryWriter(store, { clock });
    const handler = new InventoryCommandHandler(writer);
    const outbox = createInventoryOutbox();
    const sku = randomSku();
    await writer.receiveStock(sku, 10, commandMeta(`receive-${sku}`, sku));
    await writer.configureStock(
      { sku, lowStockThreshold: 3, reorderPoint: 3, reorderQuantity: 20 },
      commandMeta(`settings-${sku}`, sku),
    );
    await writer.adjustStock(sku, -8, 'flash sale', commandMeta(`drain-${sku}`, sku));
    const reorders = (await store.readAll()).flatMap(outbox).filter(({ topic }) => topic === 'inventory.reorders');
    expect(reorders).toHaveLength(1);

    const bus = recordingBus();
    const supplier = new SimulatedSupplier(bus, clock, { ...simulation, partialRate: 0 }, async () => undefined);
    const order = JSON.stringify(reorders[0]?.message.value);
    await supplier.handle(order);
    await supplier.handle(order);
    for (const { message } of bus.published) await handler.handle(JSON.stringify(message.value));

    const events = (await store.readAll())
      .filter((event) => event.stream === `stock-${sku}`)
      .map((event) => event.type);
    expect(events).toEqual([
      'StockReceived',
      'StockSettingsChanged',
      'StockAdjusted',
      'LowStockAlertRaised',
      'ReorderRequested',
      'StockReceived',
      'LowStockAlertCleared',
    ]);
    expect((await writer.receiveStock(sku, 1, commandMeta(`later-${sku}`, sku))).onHand).toBe(23);
  });
});
