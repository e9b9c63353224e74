import type { InventoryView } from '@stockade/contracts';
import {
  LevelSink,
  LiveLevel,
  LiveStockLevels,
  StreamOwner,
  TooManyStreams,
  TooManyStreamsForCaller,
} from './live-stock';

const level = (sku: string, available: number): LiveLevel => ({
  sku,
  onHand: available,
  reserved: 0,
  available,
  status: available > 5 ? 'IN_STOCK' : available > 0 ? 'LIMITED' : 'OUT_OF_STOCK',
});

/** A client whose socket takes one write and then is "full" until `drain()`. */
function slowSink() {
  const written: LiveLevel[] = [];
  const aborter = new AbortController();
  let release: (() => void) | undefined;
  const sink: LevelSink = {
    closed: aborter.signal,
    write: (value) => {
      written.push(value);
      return new Promise<void>((resolve) => (release = resolve));
    },
  };
  const drain = async () => {
    for (let rounds = 0; rounds < 1_000 && release; rounds++) {
      const next = release;
      release = undefined;
      next();
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  return { sink, written, drain, close: () => aborter.abort() };
}

const shopper: StreamOwner = { key: 'address:203.0.113.7', operator: false };
const operator: StreamOwner = { key: 'operator', operator: true };

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('LiveStockLevels', () => {
  const noSnapshot = async (): Promise<InventoryView[]> => [];

  it('given a client that stopped reading, when 3 SKUs change 10,000 times, then at most one level per SKU waits for it and it gets the latest of each', async () => {
    const live = new LiveStockLevels({ snapshot: noSnapshot, maxStreams: 10 });
    const client = slowSink();
    await live.open(undefined, client.sink, shopper);
    for (let change = 0; change < 10_000; change++)
      live.publish(level(['A', 'B', 'C'][change % 3] as string, 10_000 - change));
    expect(live.backlog).toBeLessThanOrEqual(3);

    await client.drain();
    const latest = new Map(client.written.map((written) => [written.sku, written.available]));
    expect(latest).toEqual(
      new Map([
        ['A', 1],
        ['B', 3],
        ['C', 2],
      ]),
    );
    expect(client.written.length).toBeLessThanOrEqual(4);
  });

  it('given streams following different SKUs, when a SKU changes, then only the streams following it get the level', async () => {
    const live = new LiveStockLevels({ snapshot: noSnapshot, maxStreams: 10 });
    const lamp = { written: [] as LiveLevel[], aborter: new AbortController() };
    const desk = { written: [] as LiveLevel[], aborter: new AbortController() };
    await live.open(
      ['LAMP'],
      { closed: lamp.aborter.signal, write: async (value) => void lamp.written.push(value) },
      shopper,
    );
    await live.open(
      ['DESK'],
      { closed: desk.aborter.signal, write: async (value) => void desk.written.push(value) },
      shopper,
    );
    live.publish(level('LAMP', 4));
    await settle();
    expect(lamp.written.map((written) => written.sku)).toEqual(['LAMP']);
    expect(desk.written).toEqual([]);
  });

  it('given a live change that arrives while the snapshot is being read, then the older snapshot value does not overwrite it', async () => {
    let live: LiveStockLevels | undefined;
    const snapshot = async (): Promise<InventoryView[]> => {
      live?.publish({ ...level('LAMP', 3), at: '2026-12-02T10:00:01.000Z' });
      return [level('LAMP', 5)];
    };
    live = new LiveStockLevels({ snapshot, maxStreams: 10 });
    const written: LiveLevel[] = [];
    await live.open(
      ['LAMP'],
      { closed: new AbortController().signal, write: async (value) => void written.push(value) },
      shopper,
    );
    await settle();
    expect(written.map((value) => value.available)).toEqual([3]);
  });

  it('given the most streams open, when one more opens, then it is refused as retriable; once a client goes, there is room again', async () => {
    const live = new LiveStockLevels({ snapshot: noSnapshot, maxStreams: 1 });
    const first = slowSink();
    await live.open(['LAMP'], first.sink, shopper);
    await expect(live.open(['LAMP'], slowSink().sink, shopper)).rejects.toBeInstanceOf(TooManyStreams);
    first.close();
    expect(live.openStreams).toBe(0);
    await expect(live.open(['LAMP'], slowSink().sink, shopper)).resolves.toBeUndefined();
  });

  it('given a pool of 5 with 2 kept for operators, when one caller opens streams until refused, then it gets 3 and the 4th is a retriable 503, while the operator still opens the 2 kept, and no more', async () => {
    const live = new LiveStockLevels({
      snapshot: noSnapshot,
      maxStreams: 5,
      operatorReserve: 2,
      maxStreamsPerCaller: 100,
    });
    for (let stream = 0; stream < 3; stream++) await live.open(['LAMP'], slowSink().sink, shopper);
    const refused = live.open(['LAMP'], slowSink().sink, { key: 'channel:web', operator: false });
    await expect(refused).rejects.toBeInstanceOf(TooManyStreams);
    await expect(refused).rejects.toMatchObject({ retriable: true, code: 'UNAVAILABLE' });
    await live.open(undefined, slowSink().sink, operator);
    await live.open(undefined, slowSink().sink, operator);
    await expect(live.open(undefined, slowSink().sink, operator)).rejects.toBeInstanceOf(TooManyStreams);
    expect(live.openStreams).toBe(5);
  });

  it('given 2 streams a caller, when one caller opens a 3rd, then 429, while another caller still opens; once one of its streams closes, it may open again', async () => {
    const live = new LiveStockLevels({ snapshot: noSnapshot, maxStreams: 100, maxStreamsPerCaller: 2 });
    const first = slowSink();
    await live.open(['LAMP'], first.sink, shopper);
    await live.open(['LAMP'], slowSink().sink, shopper);
    await expect(live.open(['LAMP'], slowSink().sink, shopper)).rejects.toBeInstanceOf(TooManyStreamsForCaller);
    await expect(
      live.open(['LAMP'], slowSink().sink, { key: 'address:198.51.100.1', operator: false }),
    ).resolves.toBeUndefined();
    first.close();
    await expect(live.open(['LAMP'], slowSink().sink, shopper)).resolves.toBeUndefined();
  });
});
