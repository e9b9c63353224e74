import { randomUUID } from 'node:crypto';
import { InMemoryEventStore } from '@stockade/event-store';
import { createInventoryService, reservationStream } from '@stockade/inventory-service';
import { ManualClock } from '@stockade/kernel';
import type { MessagePublisher, OutgoingMessage } from '@stockade/messaging';
import { checkInvariants, SETTLE_MS } from './invariant-check';
import { releaseThroughInventoryCommands } from './reservation-release';

const meta = (orderId: string) => ({
  correlationId: orderId,
  causationId: orderId,
  occurredAt: '2026-06-01T12:00:00.000Z',
});

/** Stock held for an order that ended: the leak `check --repair` fixes. */
async function leakedReservation() {
  const clock = new ManualClock('2026-06-01T12:00:00.000Z');
  const inventoryStore = new InMemoryEventStore(() => clock.now());
  const orders = new InMemoryEventStore(() => clock.now());
  const inventory = createInventoryService({ store: inventoryStore, clock });
  const command = { commandId: randomUUID(), correlationId: 'leak-1', causationId: 'leak-1' };
  await inventory.writer.receiveStock('LAMP', 5, { ...command, commandId: randomUUID() });
  await inventory.writer.reserve('leak-1', [{ sku: 'LAMP', quantity: 2 }], command);
  const lines = [{ sku: 'LAMP', quantity: 2, unitPrice: 10 }];
  await orders.appendToStream(
    'order-leak-1',
    [
      {
        id: randomUUID(),
        type: 'OrderPlaced.v2',
        data: { orderId: 'leak-1', customerId: 'dave', lines, total: 20, placedAt: clock.now().toISOString() },
        metadata: meta('leak-1'),
      },
      {
        id: randomUUID(),
        type: 'OrderCancelled.v2',
        data: { orderId: 'leak-1', customerId: 'dave', reasons: ['cancelled by the customer'] },
        metadata: meta('leak-1'),
      },
    ],
    { expectedVersion: 'no_stream' },
  );
  clock.advance(SETTLE_MS + 1_000);
  const sent: { topic: string; message: OutgoingMessage }[] = [];
  // The bus as inventory's consumer sees it: each command goes to its command handler, then to the single writer.
  const bus: MessagePublisher = {
    publish: async (topic, messages) => {
      for (const message of messages) {
        sent.push({ topic, message });
        await inventory.commandHandler.handle(JSON.stringify(message.value));
      }
    },
  };
  const deps = { orders, inventory: inventoryStore, now: () => clock.now(), paymentTimeoutMs: 10_000 };
  return {
    inventory,
    inventoryStore,
    deps,
    sent,
    releaseReservation: releaseThroughInventoryCommands({ bus, now: () => clock.now() }),
  };
}

describe('check --repair through inventory', () => {
  it('given stock held for an ended order, when the check repairs, then it sends inventory a ReleaseReservation command, reports the repair and the next check is clean', async () => {
    const { inventory, inventoryStore, deps, sent, releaseReservation } = await leakedReservation();
    const appendToStreams = jest.spyOn(inventoryStore, 'appendToStreams');

    const report = await checkInvariants({ ...deps, releaseReservation }, { repair: true });

    expect(report.repaired?.map((repair) => repair.action)).toEqual([
      expect.objectContaining({ kind: 'release-reservation', checkoutId: 'leak-1' }),
    ]);
    expect(sent).toEqual([
      {
        topic: 'inventory.commands',
        message: expect.objectContaining({
          key: 'leak-1',
          value: expect.objectContaining({
            type: 'ReleaseReservation.v1',
            data: expect.objectContaining({ checkoutId: 'leak-1' }),
          }),
        }),
      },
    ]);
    // The one append is the writer's (its group commit), not one of the check's.
    expect(appendToStreams).toHaveBeenCalledTimes(1);
    expect(await checkInvariants(deps, { repair: false })).toMatchObject({ ok: true, findings: [] });
    expect(await inventory.queries.getStock('LAMP')).toMatchObject({ onHand: 5, reserved: 0 });
  });

  it('given no way to reach inventory, when the check is asked to repair, then it refuses, writing nothing', async () => {
    const { inventoryStore, deps } = await leakedReservation();
    const before = (await inventoryStore.readStream(reservationStream('leak-1'))).length;

    await expect(checkInvariants(deps, { repair: true })).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect((await inventoryStore.readStream(reservationStream('leak-1'))).length).toBe(before);
  });

  it('given inventory that does not act on the command, when the wait ends, then nothing is reported repaired', async () => {
    const { deps } = await leakedReservation();

    const report = await checkInvariants(
      { ...deps, releaseReservation: async () => undefined, repairTimeoutMs: 100 },
      { repair: true },
    );

    expect(report.repaired).toEqual([]);
  });
});
