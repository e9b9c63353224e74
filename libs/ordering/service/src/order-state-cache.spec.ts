import { InMemoryEventStore } from '@stockade/event-store';
import { ManualClock } from '@stockade/kernel';
import { orderDecider } from '@stockade/ordering-domain';
import { OrderStreamWriter } from './order-stream-writer';

const place = (orderId: string) =>
  ({
    type: 'PlaceOrder',
    data: { orderId, customerId: 'cust-7', lines: [{ sku: 'LAMP', quantity: 1, unitPrice: 10 }] },
    metadata: { now: '2026-03-01T10:00:00.000Z' },
  }) as const;
/** The state a writer that never saw the cancel would hold: the order as placed, in a store of its own. */
async function placedElsewhere() {
  const placedOnly = new InMemoryEventStore();
  const writer = new OrderStreamWriter(placedOnly, new ManualClock());
  await writer.write('o-1', place('o-1'), { messageId: 'm-1' });
  return writer.load('o-1');
}
const cancel = (orderId: string) =>
  ({ type: 'CancelOrder', data: { orderId }, metadata: { now: '2026-03-01T10:00:01.000Z' } }) as const;

describe('order states cached by the OrderStreamWriter', () => {
  it('given an order this writer wrote, when it is loaded again, then its stream is not re-read and the state matches a cold read', async () => {
    const store = new InMemoryEventStore();
    const writer = new OrderStreamWriter(store, new ManualClock());
    await writer.write('o-1', place('o-1'), { messageId: 'm-1' });
    const readStream = jest.spyOn(store, 'readStream');

    const warm = await writer.load('o-1');

    expect(readStream).not.toHaveBeenCalled();
    readStream.mockRestore();
    expect(warm).toEqual(await new OrderStreamWriter(store, new ManualClock()).load('o-1'));
  });

  it('given a cached order, when another process appends to it, then the next load folds in exactly the new events', async () => {
    const store = new InMemoryEventStore();
    const clock = new ManualClock();
    const writer = new OrderStreamWriter(store, clock);
    await writer.write('o-1', place('o-1'), { messageId: 'm-1' });
    const otherProcess = new OrderStreamWriter(store, clock);
    await otherProcess.write('o-1', cancel('o-1'), { messageId: 'm-2' });
    const readStream = jest.spyOn(store, 'readStream');

    const loaded = await writer.load('o-1');

    expect(readStream).toHaveBeenCalledWith('order-o-1', { fromVersion: 1 });
    readStream.mockRestore();
    expect(loaded).toEqual(await new OrderStreamWriter(store, clock).load('o-1'));
    expect(loaded.version).toBe(await store.streamVersion('order-o-1'));
  });

  it('given a cached order, when this writer writes to it again, then the stream version is not looked up: the append expects the cached one', async () => {
    const store = new InMemoryEventStore();
    const writer = new OrderStreamWriter(store, new ManualClock());
    await writer.write('o-1', place('o-1'), { messageId: 'm-1' });
    const streamVersion = jest.spyOn(store, 'streamVersion');
    const append = jest.spyOn(store, 'appendToStream');

    await writer.write('o-1', cancel('o-1'), { messageId: 'm-2' });

    expect(streamVersion).not.toHaveBeenCalled();
    expect(append).toHaveBeenCalledWith('order-o-1', expect.any(Array), { expectedVersion: 0 });
  });

  it('given a cached order, when another process cancelled it, then news for it is decided against the cancelled state', async () => {
    const store = new InMemoryEventStore();
    const clock = new ManualClock();
    const writer = new OrderStreamWriter(store, clock);
    await writer.write('o-1', place('o-1'), { messageId: 'm-1' });
    await new OrderStreamWriter(store, clock).write('o-1', cancel('o-1'), { messageId: 'm-2' });

    const news = { type: 'StockReserved', data: { orderId: 'o-1', expiresAt: '2026-03-01T10:15:00.000Z' } } as const;
    const staleDecision = orderDecider.decide(news, (await placedElsewhere()).state);
    const freshDecision = orderDecider.decide(news, (await new OrderStreamWriter(store, clock).load('o-1')).state);

    const written = await writer.write('o-1', news, { messageId: 'm-3' });

    expect(written).toEqual(freshDecision);
    // The test is only meaningful if a stale state would have decided differently.
    expect(staleDecision.map((event) => event.type)).toContain('StockReserved');
    expect(written.map((event) => event.type)).not.toContain('StockReserved');
  });
});
