import { DuplicateEventId, ExpectedVersionConflict, InMemoryEventStore } from '@stockade/event-store';
import { ManualClock } from '@stockade/kernel';
import { OrderStreamWriter } from './order-stream-writer';

const place = (orderId: string) =>
  ({
    type: 'PlaceOrder',
    data: { orderId, customerId: 'cust-7', lines: [{ sku: 'LAMP', quantity: 1, unitPrice: 10 }] },
    metadata: { now: '2026-03-01T10:00:00.000Z' },
  }) as const;

describe('OrderStreamWriter', () => {
  it('given another writer that always wins, when writing, then it retries a bounded number of times and fails retriably', async () => {
    const store = new InMemoryEventStore();
    const append = jest
      .spyOn(store, 'appendToStream')
      .mockRejectedValue(new ExpectedVersionConflict('order-o-1', 'no_stream', 0));
    const writer = new OrderStreamWriter(store, new ManualClock(), undefined, 3);

    await expect(writer.write('o-1', place('o-1'), { messageId: 'm-1' })).rejects.toMatchObject({
      code: 'CONFLICT',
      retriable: true,
    });
    expect(append).toHaveBeenCalledTimes(3);
  });

  it('given a stale read, when the append conflicts, then it reloads, sees the order and writes nothing more', async () => {
    const store = new InMemoryEventStore();
    const clock = new ManualClock();
    await new OrderStreamWriter(store, clock).write('o-1', place('o-1'), { messageId: 'm-1' });
    const stale = new OrderStreamWriter(store, clock);
    jest.spyOn(stale, 'load').mockResolvedValueOnce({ state: { kind: 'none' }, version: -1 });

    await expect(stale.write('o-1', place('o-1'), { messageId: 'm-2' })).resolves.toEqual([]);
    expect(await store.streamVersion('order-o-1')).toBe(0);
  });

  it('given a store that reports the event ids as already stored, when writing, then the write counts as done', async () => {
    const store = new InMemoryEventStore();
    jest.spyOn(store, 'appendToStream').mockRejectedValueOnce(new DuplicateEventId('e-1'));
    await expect(
      new OrderStreamWriter(store, new ManualClock()).write('o-1', place('o-1'), { messageId: 'm-1' }),
    ).resolves.toEqual([]);
  });

  it('given a write, then event ids derive from the causing message and metadata names order, cause and clock time', async () => {
    const store = new InMemoryEventStore();
    const writer = new OrderStreamWriter(store, new ManualClock('2026-03-01T10:00:05.000Z'));
    await writer.write('o-1', place('o-1'), { messageId: 'm-1' });
    const again = new InMemoryEventStore();
    await new OrderStreamWriter(again, new ManualClock()).write('o-1', place('o-1'), { messageId: 'm-1' });

    const [first] = await store.readStream('order-o-1');
    const [replayed] = await again.readStream('order-o-1');
    expect(first?.id).toBe(replayed?.id);
    expect(first?.metadata).toEqual({
      correlationId: 'o-1',
      causationId: 'm-1',
      occurredAt: '2026-03-01T10:00:05.000Z',
    });
  });

  it('given a new checkout, when it is placed, then the order is appended expecting no stream, without reading the stream first', async () => {
    const store = new InMemoryEventStore();
    const readStream = jest.spyOn(store, 'readStream');
    const streamVersion = jest.spyOn(store, 'streamVersion');
    const append = jest.spyOn(store, 'appendToStream');

    await new OrderStreamWriter(store, new ManualClock()).write('o-1', place('o-1'), { messageId: 'm-1' });

    expect(readStream).not.toHaveBeenCalled();
    expect(streamVersion).not.toHaveBeenCalled();
    expect(append).toHaveBeenCalledWith('order-o-1', expect.any(Array), { expectedVersion: 'no_stream' });
  });

  it('given an order another process placed, when the same checkout arrives here with another message id, then the failed append reads it and nothing more is written', async () => {
    const store = new InMemoryEventStore();
    const clock = new ManualClock();
    await new OrderStreamWriter(store, clock).write('o-1', place('o-1'), { messageId: 'm-1' });

    await expect(new OrderStreamWriter(store, clock).write('o-1', place('o-1'), { messageId: 'm-2' })).resolves.toEqual(
      [],
    );
    expect(await store.streamVersion('order-o-1')).toBe(0);
  });

  it('given two instances writing one order (their consumers of different topics), when one has a cached state the other moved on since, then a fact its stale state would ignore is decided on the current state', async () => {
    const store = new InMemoryEventStore();
    const clock = new ManualClock('2026-03-01T10:00:00.000Z');
    const [sagaInstance, paymentsInstance] = [new OrderStreamWriter(store, clock), new OrderStreamWriter(store, clock)];
    await sagaInstance.write('o-1', place('o-1'), { messageId: 'm-1' });
    await sagaInstance.write(
      'o-1',
      { type: 'StockReserved', data: { orderId: 'o-1', expiresAt: '2026-03-01T10:15:00.000Z' } },
      { messageId: 'm-2' },
    );
    await paymentsInstance.write('o-1', { type: 'PaymentAuthorized', data: { orderId: 'o-1' } }, { messageId: 'm-3' });

    // The saga instance still caches the order as awaiting payment, where a commit is not a move.
    const written = await sagaInstance.write(
      'o-1',
      { type: 'ReservationCommitted', data: { orderId: 'o-1' } },
      { messageId: 'm-4' },
    );

    expect(written.map((event) => event.type)).toEqual(['OrderCompleted']);
    expect((await sagaInstance.load('o-1')).state).toMatchObject({ phase: 'COMPLETED' });
  });

  it('given a repeat of a fact already decided, when the cached state is current, then nothing is written and the stream is only asked its version', async () => {
    const store = new InMemoryEventStore();
    const writer = new OrderStreamWriter(store, new ManualClock('2026-03-01T10:00:00.000Z'));
    await writer.write('o-1', place('o-1'), { messageId: 'm-1' });
    const reserved = {
      type: 'StockReserved',
      data: { orderId: 'o-1', expiresAt: '2026-03-01T10:15:00.000Z' },
    } as const;
    await writer.write('o-1', reserved, { messageId: 'm-2' });
    const readStream = jest.spyOn(store, 'readStream');

    await expect(writer.write('o-1', reserved, { messageId: 'm-2' })).resolves.toEqual([]);
    expect(readStream).not.toHaveBeenCalled();
  });
});
