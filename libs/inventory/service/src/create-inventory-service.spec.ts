import { InMemoryEventStore } from '@stockade/event-store';
import { ManualClock } from '@stockade/kernel';
import { createInventoryService } from './create-inventory-service';
import { commandMeta, randomSku } from './testing/inventory-fixtures';

describe('createInventoryService', () => {
  it('given a store and options, when the service is used through its parts, then they share one writer and one clock', async () => {
    const clock = new ManualClock('2026-06-01T00:00:00.000Z');
    const store = new InMemoryEventStore(() => clock.now());
    const service = createInventoryService({
      store,
      clock,
      reservationTtlMs: 1000,
      limitedThreshold: 2,
      expiryCheckIntervalMs: 60_000,
    });
    await service.start();
    const sku = randomSku();

    expect(await service.facade.receiveStock(sku, 3)).toEqual({
      sku,
      onHand: 3,
      reserved: 0,
      available: 3,
      status: 'IN_STOCK',
    });
    await service.writer.reserve('c1', [{ sku, quantity: 2 }], commandMeta('c1'));
    expect(await service.facade.getStock(sku)).toMatchObject({ available: 1, status: 'LIMITED' });
    clock.advance(1000);
    expect(await service.scheduler.runDue()).toBe(1);
    expect(await service.facade.adjustStock(sku, -1, 'damaged')).toMatchObject({ onHand: 2, available: 2 });

    const events = await store.readAll();
    expect(events.flatMap(service.outbox)).toHaveLength(events.length);
    await service.stop();
  });
});
