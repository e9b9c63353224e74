import { InMemoryEventStore } from '@stockade/event-store';
import { ManualClock, ValidationError } from '@stockade/kernel';
import { InventoryCommandHandler } from './inventory-command-handler';
import { InventoryWriter } from './inventory-writer';
import { reservationStream } from './streams';
import { commandMeta, randomCheckoutId, randomSku } from './testing/inventory-fixtures';

function setup() {
  const clock = new ManualClock('2026-02-01T08:00:00.000Z');
  const store = new InMemoryEventStore(() => clock.now());
  const writer = new InventoryWriter(store, { clock });
  return { store, writer, handler: new InventoryCommandHandler(writer) };
}

const envelope = (type: string, data: unknown, messageId = `msg-${randomCheckoutId()}`) =>
  JSON.stringify({
    messageId,
    type,
    correlationId: 'order-1',
    causationId: 'checkout-msg-1',
    occurredAt: '2026-02-01T08:00:00.000Z',
    data,
  });

async function validationErrorOf(promise: Promise<unknown>): Promise<ValidationError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ValidationError);
  return error as ValidationError;
}

describe('InventoryCommandHandler', () => {
  it('given a ReserveStock.v1 message, when it is handled twice, then the reservation is accepted once', async () => {
    const { store, writer, handler } = setup();
    const sku = randomSku();
    await writer.receiveStock(sku, 3, commandMeta(`r-${sku}`));
    const checkoutId = randomCheckoutId();
    const message = envelope('ReserveStock.v1', { checkoutId, lines: [{ sku, quantity: 2 }] });

    const first = await handler.handle(message);
    const second = await handler.handle(message);

    expect(first).toMatchObject({ status: 'accepted', checkoutId, expiresAt: '2026-02-01T08:15:00.000Z' });
    expect(second).toEqual(first);
    expect(await store.readStream(reservationStream(checkoutId))).toHaveLength(1);
  });

  it('given release and commit messages, when they are handled, then the writer releases and refuses the late commit', async () => {
    const { writer, handler } = setup();
    const sku = randomSku();
    await writer.receiveStock(sku, 3, commandMeta(`r-${sku}`));
    const checkoutId = randomCheckoutId();
    await handler.handle(envelope('ReserveStock.v1', { checkoutId, lines: [{ sku, quantity: 2 }] }));

    expect(
      await handler.handle(envelope('ReleaseReservation.v1', { checkoutId, reason: 'payment declined' })),
    ).toMatchObject({ changed: true, reservation: 'released' });
    expect(await handler.handle(envelope('CommitReservation.v1', { checkoutId }))).toMatchObject({ status: 'refused' });
  });

  it('given the two parts of a checkout spread over shards (ADR 0020), when each is reserved, released and committed by its shard, then each part has its own reservation, apart from the whole checkout’s', async () => {
    const { store, writer, handler } = setup();
    const [lamp, desk] = [randomSku(), randomSku()];
    await writer.receiveStock(lamp, 3, commandMeta(`r-${lamp}`));
    await writer.receiveStock(desk, 3, commandMeta(`r-${desk}`));
    const checkoutId = randomCheckoutId();

    const lampPart = await handler.handle(
      envelope('ReserveStock.v1', { checkoutId, lines: [{ sku: lamp, quantity: 2 }], shard: 1 }),
    );
    const deskPart = await handler.handle(
      envelope('ReserveStock.v1', { checkoutId, lines: [{ sku: desk, quantity: 1 }], shard: 3 }),
    );
    const released = await handler.handle(
      envelope('ReleaseReservation.v1', { checkoutId, reason: 'another part was short', shard: 3 }),
    );
    const committed = await handler.handle(envelope('CommitReservation.v1', { checkoutId, shard: 1 }));

    expect([lampPart, deskPart].map((outcome) => (outcome as { status: string }).status)).toEqual([
      'accepted',
      'accepted',
    ]);
    expect([released, committed]).toMatchObject([{ changed: true, reservation: 'released' }, { status: 'committed' }]);
    expect((await store.readStream(reservationStream(`${checkoutId}#1`))).map((event) => event.type)).toEqual([
      'ReservationAccepted',
      'ReservationCommitted',
    ]);
    expect((await store.readStream(reservationStream(`${checkoutId}#3`))).map((event) => event.type)).toEqual([
      'ReservationAccepted',
      'ReservationReleased',
    ]);
    expect(await store.streamVersion(reservationStream(checkoutId))).toBe(-1);
  });

  it('given a value that is not JSON, when it is handled, then a non-retriable ValidationError sends it to the dead-letter topic', async () => {
    const { handler } = setup();
    const error = await validationErrorOf(
      handler.handle('{"type": "ReserveStock.v1",', { topic: 'inventory.commands', partition: 0, offset: '41' }),
    );
    expect(error.retriable).toBe(false);
    expect(error.issues[0]).toMatchObject({
      field: '(value)',
      message: expect.stringContaining('inventory.commands/0@41 is not valid JSON'),
    });
  });

  it('given a command that breaks the schema, when it is handled, then the ValidationError names the field', async () => {
    const { handler } = setup();
    const error = await validationErrorOf(
      handler.handle(envelope('ReserveStock.v1', { checkoutId: 'c1', lines: [{ sku: 'LAMP', quantity: 0 }] })),
    );
    expect(error.retriable).toBe(false);
    expect(error.issues).toEqual([{ field: 'data.lines.0.quantity', message: 'must be at least 1' }]);
  });

  it('given an unknown command type, when it is handled, then the ValidationError names the type field', async () => {
    const { handler } = setup();
    const error = await validationErrorOf(handler.handle(envelope('ShipIt.v1', { checkoutId: 'c1' })));
    expect(error.issues.map((issue) => issue.field)).toContain('type');
  });

  it('given a reserve that repeats a SKU, when it is handled, then the domain refuses it as invalid so it is dead-lettered', async () => {
    const { handler } = setup();
    const error = await validationErrorOf(
      handler.handle(
        envelope('ReserveStock.v1', {
          checkoutId: 'c1',
          lines: [
            { sku: 'A', quantity: 1 },
            { sku: 'A', quantity: 1 },
          ],
        }),
      ),
    );
    expect(error.issues).toEqual([{ field: 'lines.1.sku', message: 'must not repeat sku A' }]);
  });

  it('given a bus message, when the message handler runs, then it handles the value', async () => {
    const { handler } = setup();
    const message = {
      topic: 'inventory.commands',
      partition: 0,
      offset: '1',
      key: 'c1',
      value: 'nope',
      headers: {},
      attempt: 1,
    };
    await expect(handler.messageHandler(message)).rejects.toThrow(ValidationError);
  });
});
