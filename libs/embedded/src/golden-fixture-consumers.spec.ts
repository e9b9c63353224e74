import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CartService, InMemoryCartRepository, StockLevelCache } from '@stockade/cart-service';
import { InMemoryEventStore } from '@stockade/event-store';
import { createInventoryService } from '@stockade/inventory-service';
import { ManualClock } from '@stockade/kernel';
import { InMemoryMessageBus } from '@stockade/messaging';
import { createOrderingService } from '@stockade/ordering-service';
import { StockadeMetrics } from '@stockade/runtime';

/** Consumers are tested against the same golden fixtures the producers' schemas are. */
const fixture = (name: string) =>
  readFileSync(join(__dirname, '..', '..', 'contracts', 'fixtures', `${name}.json`), 'utf8');

describe('consumers reading the golden fixtures', () => {
  const clock = new ManualClock('2026-11-24T10:15:00.000Z');

  it('given stock, when inventory receives the ReserveStock.v1 fixture, then it reserves the lines', async () => {
    const inventory = createInventoryService({ store: new InMemoryEventStore(), clock });
    await inventory.facade.receiveStock('DESK-LAMP', 5);
    await inventory.facade.receiveStock('OAK-DESK', 5);
    expect(await inventory.commandHandler.handle(fixture('ReserveStock.v1'))).toMatchObject({ status: 'accepted' });
    expect(await inventory.facade.getStock('DESK-LAMP')).toMatchObject({ reserved: 2 });
  });

  it('given the CheckoutRequested.v1 fixture and the bare body, when ordering receives them, then each places its order', async () => {
    const { service } = createOrderingService({ store: new InMemoryEventStore(), clock });
    expect(await service.handleCheckoutRequested(fixture('CheckoutRequested.v1'))).toEqual({
      orderId: 'chk-1001',
      created: true,
    });
    expect(await service.handleCheckoutRequested(fixture('checkout-request-body'))).toEqual({
      orderId: 'chk-2002',
      created: true,
    });
  });

  it('given a placed order, when ordering receives the StockReserved.v1 and StockReservationRejected.v1 fixtures, then it moves on and later ignores the rejection', async () => {
    const { service } = createOrderingService({ store: new InMemoryEventStore(), clock });
    await service.handleCheckoutRequested(fixture('CheckoutRequested.v1'));
    await service.handleInventoryEvent(fixture('StockReserved.v1'));
    await service.handleInventoryEvent(fixture('StockReservationRejected.v1'));
    expect(await service.getOrder('chk-1001')).toMatchObject({ status: 'PENDING', reasons: [] });
  });

  it('given a cart that checked out as chk-1001-like id, when the OrderRejected.v1 fixture arrives for another order, then carts ignore it', async () => {
    const bus = new InMemoryMessageBus();
    const carts = new CartService({
      carts: new InMemoryCartRepository(),
      stock: { offers: async () => new Map() },
      bus,
      payments: { tokenize: async () => 'ref' },
      clock,
    });
    await expect(carts.handleOrderOutcome(fixture('OrderRejected.v1'))).resolves.toBeUndefined();
    await bus.close();
  });

  it("given the StockLevelChanged.v1 fixture of a listed SKU, when the carts' stock level cache reads it, then carts are offered it at its name and price", async () => {
    const levels = new StockLevelCache();
    await levels.handleStockLevelChanged(fixture('StockLevelChanged.v1'));
    expect((await levels.offers(['DESK-LAMP'])).get('DESK-LAMP')).toEqual({
      available: 3,
      name: 'Desk lamp',
      unitPrice: 39.5,
    });
  });

  it('given the order outcome fixtures, when metrics read them, then each is counted by status', async () => {
    const metrics = new StockadeMetrics({ collectProcessMetrics: false, watchedSkus: ['DESK-LAMP'] });
    for (const name of ['OrderCompleted.v1', 'OrderRejected.v1', 'OrderCancelled.v1'])
      await metrics.recordOrderOutcome(fixture(name));
    await metrics.recordStockLevel(fixture('StockLevelChanged.v1'));
    const text = await metrics.render();
    expect(text).toContain('stockade_orders_terminal_total{status="COMPLETED"} 1');
    expect(text).toContain('stockade_orders_terminal_total{status="REJECTED"} 1');
    expect(text).toContain('stockade_orders_terminal_total{status="CANCELLED"} 1');
    expect(text).toContain('stockade_stock_available{sku="DESK-LAMP"} 3');
  });
});
