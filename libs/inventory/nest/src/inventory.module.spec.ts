import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { TOPICS } from '@stockade/contracts';
import { InMemoryEventStore } from '@stockade/event-store';
import { ManualClock } from '@stockade/kernel';
import { CLOCK } from '@stockade/runtime';
import { serviceTestBed, ServiceTestBed, TEST_OPERATOR_TOKEN } from '@stockade/runtime/testing';
import { InventoryModule } from './inventory.module';
import { INVENTORY_EVENT_STORE } from './inventory.tokens';

function reserveStock(checkoutId: string, lines: { sku: string; quantity: number }[], occurredAt: string) {
  return {
    messageId: randomUUID(),
    type: 'ReserveStock.v1',
    correlationId: checkoutId,
    causationId: checkoutId,
    occurredAt,
    data: { checkoutId, lines },
  };
}

describe('the inventory service as a Nest module (Test.createTestingModule)', () => {
  const clock = new ManualClock('2026-06-01T12:00:00.000Z');
  let testBed: ServiceTestBed;
  let app: NestFastifyApplication;

  beforeAll(async () => {
    testBed = serviceTestBed([InventoryModule.register()], {
      env: { STOCKADE_RESERVATION_TTL_MS: '60000', STOCKADE_EXPIRY_CHECK_INTERVAL_MS: '10' },
    });
    testBed.builder
      .overrideProvider(INVENTORY_EVENT_STORE)
      .useValue(new InMemoryEventStore())
      .overrideProvider(CLOCK)
      .useValue(clock);
    app = await testBed.start();
    await app.inject({
      method: 'POST',
      url: '/inventory/NEST-DESK/receipts',
      headers: { authorization: `Bearer ${TEST_OPERATOR_TOKEN}` },
      payload: { quantity: 3 },
    });
  });

  afterAll(() => testBed.close());

  it('given 3 desks, when a reserve command for 5 arrives on inventory.commands, then the rejection names the short line', async () => {
    const checkoutId = `nest-${randomUUID()}`;
    await testBed.bus.publish(TOPICS.inventoryCommands, [
      {
        key: checkoutId,
        value: reserveStock(checkoutId, [{ sku: 'NEST-DESK', quantity: 5 }], clock.now().toISOString()),
      },
    ]);

    const outcome = await testBed.nextMessage(TOPICS.inventoryEvents, (message) => message.key === checkoutId);

    expect(JSON.parse(outcome.value)).toMatchObject({ type: 'StockReservationRejected.v1', data: { checkoutId } });
    expect(outcome.value).toContain('NEST-DESK: only 3 available, 5 requested');
  });

  it('given the clock overridden in the testing module, when a reservation outlives its TTL, then the expiry timer releases it', async () => {
    const checkoutId = `expiring-${randomUUID()}`;
    await testBed.bus.publish(TOPICS.inventoryCommands, [
      {
        key: checkoutId,
        value: reserveStock(checkoutId, [{ sku: 'NEST-DESK', quantity: 2 }], clock.now().toISOString()),
      },
    ]);
    await testBed.nextMessage(
      TOPICS.inventoryEvents,
      (message) => message.key === checkoutId && message.value.includes('StockReserved.v1'),
    );
    expect((await app.inject({ method: 'GET', url: '/inventory/NEST-DESK' })).json()).toMatchObject({
      reserved: 2,
      available: 1,
    });

    clock.advance(61_000);

    const expired = await testBed.nextMessage(
      TOPICS.inventoryEvents,
      (message) => message.key === checkoutId && message.value.includes('ReservationExpired.v1'),
    );
    expect(JSON.parse(expired.value)).toMatchObject({ data: { checkoutId } });
    expect((await app.inject({ method: 'GET', url: '/inventory/NEST-DESK' })).json()).toMatchObject({
      reserved: 0,
      available: 3,
    });
  });

  it('given the module started, then readiness lists its store, the bus and its consumer group', async () => {
    const ready = await app.inject({ method: 'GET', url: '/health/ready' });

    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({
      status: 'ok',
      info: {
        'inventory-store': { status: 'up' },
        bus: { status: 'up' },
        consumers: { status: 'up', groups: 'inventory-service' },
      },
    });
  });
});
