import { InventoryAlert, InventoryEvent, ReorderRequestedV1, StockLevelChangedV1, TOPICS } from '@stockade/contracts';
import { InMemoryEventStore, RecordedEvent } from '@stockade/event-store';
import { ManualClock } from '@stockade/kernel';
import { createInventoryOutbox, inventoryOutbox, stockLevelsProjection } from './inventory-outbox';
import { InventoryWriter } from './inventory-writer';
import { commandMeta, randomSku } from './testing/inventory-fixtures';

/** A store holding every kind of inventory event, written by the real writer. */
async function everyKindOfEvent(): Promise<{ events: RecordedEvent[]; sku: string }> {
  const clock = new ManualClock('2026-04-01T09:00:00.000Z');
  const store = new InMemoryEventStore(() => clock.now());
  const writer = new InventoryWriter(store, { clock, reservationTtlMs: 60_000 });
  const sku = randomSku();
  const meta = (id: string, checkoutId = 'order-1') => commandMeta(`${id}-${sku}`, checkoutId);
  await writer.receiveStock(sku, 10, meta('receipt', sku));
  await writer.setListing({ sku, name: 'Desk lamp', unitPrice: 39.5 }, meta('listing', sku));
  await writer.configureStock(
    { sku, lowStockThreshold: 8, alertHysteresis: 1, reorderPoint: 7, reorderQuantity: 20, supplierId: 'ACME' },
    meta('settings', sku),
  );
  await writer.adjustStock(sku, -1, 'damaged', meta('adjust', sku));
  await writer.reserve('sold', [{ sku, quantity: 2 }], meta('reserve-sold', 'sold'));
  await writer.commit('sold', meta('commit-sold', 'sold'));
  await writer.reserve('cancelled', [{ sku, quantity: 1 }], meta('reserve-cancelled', 'cancelled'));
  await writer.release('cancelled', 'payment declined', meta('release-cancelled', 'cancelled'));
  await writer.reserve('too-many', [{ sku, quantity: 99 }], meta('reserve-too-many', 'too-many'));
  await writer.reserve('late', [{ sku, quantity: 1 }], meta('reserve-late', 'late'));
  clock.advance(60_000);
  await writer.expire('late', meta('expire-late', 'late'));
  await writer.commit('late', meta('commit-late', 'late'));
  await writer.receiveStock(sku, 20, meta('delivery', sku), `PO-${sku}-0001`);
  return { events: await store.readAll(), sku };
}

describe('inventoryOutbox', () => {
  it('given every kind of inventory event, then each maps to a message that passes its contract schema', async () => {
    const { events, sku } = await everyKindOfEvent();
    const published = events.flatMap((event) => inventoryOutbox(event).map((out) => ({ event, ...out })));

    // Settings are the operator's business: they go on no topic.
    expect(published).toHaveLength(events.filter((event) => event.type !== 'StockSettingsChanged').length);
    for (const { event, topic, message } of published) {
      expect((message.value as { messageId: string }).messageId).toBe(event.id);
      if (topic === TOPICS.inventoryEvents) {
        expect(InventoryEvent.safeParse(message.value).error).toBeUndefined();
        expect(message.key).toBe((event.data as { checkoutId: string }).checkoutId);
      } else if (topic === TOPICS.inventoryAlerts) {
        expect(InventoryAlert.safeParse(message.value).error).toBeUndefined();
        expect(message.key).toBe(sku);
      } else if (topic === TOPICS.inventoryReorders) {
        expect(ReorderRequestedV1.safeParse(message.value).error).toBeUndefined();
        expect(message.value).toMatchObject({
          data: { purchaseOrderId: `PO-${sku}-0001`, quantity: 20, supplierId: 'ACME' },
        });
        expect(message.key).toBe(sku);
      } else {
        expect(topic).toBe(TOPICS.stockLevels);
        expect(StockLevelChangedV1.safeParse(message.value).error).toBeUndefined();
        expect(message.key).toBe(sku);
      }
    }
    const types = published.map(({ message }) => (message.value as { type: string }).type);
    expect(new Set(types)).toEqual(
      new Set([
        'StockLevelChanged.v1',
        'StockReserved.v1',
        'StockReservationRejected.v1',
        'ReservationReleased.v1',
        'ReservationExpired.v1',
        'ReservationCommitted.v1',
        'ReservationCommitRefused.v1',
        'LowStockAlertRaised.v1',
        'LowStockAlertCleared.v1',
        'ReorderRequested.v1',
      ]),
    );
  });

  it('given a reservation event, then the envelope carries the stored metadata', async () => {
    const { events } = await everyKindOfEvent();
    const rejected = events.find((event) => event.type === 'ReservationRejected') as RecordedEvent;
    expect(inventoryOutbox(rejected)).toEqual([
      {
        topic: TOPICS.inventoryEvents,
        message: {
          key: 'too-many',
          headers: { 'message-type': 'StockReservationRejected.v1' },
          value: {
            messageId: rejected.id,
            type: 'StockReservationRejected.v1',
            correlationId: 'too-many',
            causationId: rejected.metadata.causationId,
            occurredAt: '2026-04-01T09:00:00.000Z',
            data: { checkoutId: 'too-many', shortLines: [expect.objectContaining({ requested: 99, available: 7 })] },
          },
        },
      },
    ]);
  });

  it('given the events of one part of a checkout spread over shards, then its messages name the checkout (key and data) and the part’s shard, and pass their schemas', async () => {
    const clock = new ManualClock('2026-04-01T09:00:00.000Z');
    const store = new InMemoryEventStore(() => clock.now());
    const writer = new InventoryWriter(store, { clock });
    const sku = randomSku();
    await writer.receiveStock(sku, 1, commandMeta(`receipt-${sku}`));
    await writer.reserve('order-7#2', [{ sku, quantity: 1 }], commandMeta('reserve-part', 'order-7'));
    await writer.reserve('order-8#2', [{ sku, quantity: 5 }], commandMeta('reserve-short-part', 'order-8'));

    const messages = (await store.readAll({ streamPrefixes: ['reservation-'] })).flatMap((event) =>
      inventoryOutbox(event),
    );

    expect(
      messages.map(({ message }) => [
        message.key,
        (message.value as { type: string }).type,
        (message.value as { data: unknown }).data,
      ]),
    ).toEqual([
      ['order-7', 'StockReserved.v1', expect.objectContaining({ checkoutId: 'order-7', shard: 2 })],
      ['order-8', 'StockReservationRejected.v1', expect.objectContaining({ checkoutId: 'order-8', shard: 2 })],
    ]);
    for (const { message } of messages) expect(InventoryEvent.safeParse(message.value).success).toBe(true);
  });

  it('given a listed SKU, then its listing and every level message after it carry its name and price, and so does the rebuild of its latest level', async () => {
    const { events, sku } = await everyKindOfEvent();
    const levels = events
      .flatMap((event) => inventoryOutbox(event))
      .filter(({ topic }) => topic === TOPICS.stockLevels);
    const datas = levels.map(({ message }) => (message.value as { data: Record<string, unknown> }).data);

    expect(datas[0]).toEqual({ sku, onHand: 10, reserved: 0, available: 10, status: 'IN_STOCK' });
    expect(datas.slice(1).length).toBeGreaterThan(5);
    for (const data of datas.slice(1)) expect(data).toMatchObject({ name: 'Desk lamp', unitPrice: 39.5 });
    const rebuild = stockLevelsProjection({ limitedThreshold: 5, stockLevelsTopic: TOPICS.stockLevels });
    const latest = events.filter((event) => event.stream.endsWith(sku)).at(-1) as RecordedEvent;
    expect((rebuild.map(latest)[0]?.message.value as { data: unknown }).data).toMatchObject({
      sku,
      name: 'Desk lamp',
      unitPrice: 39.5,
    });
  });

  it('given a stock change, when the limited threshold is 10, then the level message says LIMITED', async () => {
    const { events } = await everyKindOfEvent();
    const receipt = events[0] as RecordedEvent;
    const [out] = createInventoryOutbox({ limitedThreshold: 10 })(receipt);
    expect((out?.message.value as { data: unknown }).data).toMatchObject({
      onHand: 10,
      reserved: 0,
      available: 10,
      status: 'LIMITED',
    });
  });

  it('given an event of another service or an unknown type, then it maps to nothing', () => {
    const base = {
      id: 'e1',
      data: {},
      metadata: { correlationId: 'x', causationId: 'y', occurredAt: '2026-01-01T00:00:00.000Z' },
      version: 0,
      position: 1,
      recordedAt: '',
    };
    expect(inventoryOutbox({ ...base, stream: 'order-1', type: 'OrderPlaced' })).toEqual([]);
    expect(inventoryOutbox({ ...base, stream: 'reservation-1', type: 'ReservationAudited' })).toEqual([]);
  });
});
