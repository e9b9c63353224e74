import type { AddressInfo } from 'node:net';
import type { InventoryView } from '@stockade/contracts';
import { ValidationError } from '@stockade/kernel';
import WebSocket, { WebSocketServer } from 'ws';
import { LiveLevel, LiveStockLevels, StreamOwner, TooManyStreamsForCaller } from './live-stock';
import { parseClientFrame, presentedAuthorization } from './live-stock-socket-protocol';
import { serveLiveStockSocket } from './live-stock-socket-session';

const level = (sku: string, available: number): LiveLevel => ({
  sku,
  onHand: available,
  reserved: 0,
  available,
  status: available > 5 ? 'IN_STOCK' : available > 0 ? 'LIMITED' : 'OUT_OF_STOCK',
});
const shopper: StreamOwner = { key: 'address:203.0.113.7', operator: false };
const settle = () => new Promise((resolve) => setImmediate(resolve));

const issuesOf = (text: string) => {
  try {
    parseClientFrame(text);
  } catch (error) {
    if (error instanceof ValidationError) return error.issues.map((issue) => issue.field);
    throw error;
  }
  return [];
};

describe('the live stock socket protocol', () => {
  it('given frames that are not JSON, of an unknown type, or with a bad SKU, then each is refused naming its field', () => {
    expect(issuesOf('{"type":')).toEqual(['(frame)']);
    expect(issuesOf('{"type":"subscribe!"}')).toEqual(['type']);
    expect(issuesOf('{"type":"subscribe","skus":["A","b c"]}')).toEqual(['skus.1']);
    expect(issuesOf('{"type":"subscribe","skus":[]}')).toEqual(['skus']);
    expect(issuesOf('{"type":"ping","extra":1}')).toEqual(['extra']);
    expect(parseClientFrame('{"type":"unsubscribe","skus":["A"]}')).toEqual({ type: 'unsubscribe', skus: ['A'] });
  });

  it('given a browser handshake, then its token is the base64url bearer subprotocol; an Authorization header wins when both are sent', () => {
    const token = 'abc+/=def-0123456789';
    const protocols = new Set(['stockade.live.v1', `stockade.bearer.${Buffer.from(token).toString('base64url')}`]);
    expect(presentedAuthorization(undefined, protocols)).toBe(`Bearer ${token}`);
    expect(presentedAuthorization('Bearer other', protocols)).toBe('Bearer other');
    expect(presentedAuthorization(undefined, new Set(['stockade.live.v1']))).toBeUndefined();
  });
});

describe('LiveStockLevels.subscribe (the WebSocket stream)', () => {
  const snapshotOf =
    (levels: Record<string, number>) =>
    async (skus: readonly string[] | undefined): Promise<InventoryView[]> =>
      (skus ?? []).map((sku) => level(sku, levels[sku] ?? 0));

  it('given a subscription, when it follows SKUs, then their current levels come first and only their changes follow; an unfollowed SKU sends nothing more', async () => {
    const live = new LiveStockLevels({ snapshot: snapshotOf({ A: 3, B: 7 }), maxStreams: 10 });
    const written: LiveLevel[] = [];
    const subscription = live.subscribe(
      { closed: new AbortController().signal, write: async (value) => void written.push(value) },
      shopper,
    );
    await subscription.follow(['A', 'B']);
    await settle();
    live.publish(level('C', 1));
    live.publish(level('A', 2));
    await settle();
    subscription.unfollow(['A']);
    live.publish(level('A', 1));
    await settle();
    expect(written.map(({ sku, available }) => `${sku}=${available}`)).toEqual(['A=3', 'B=7', 'A=2']);
    expect(subscription.following()).toEqual(['B']);
  });

  it('given a caller holding its one stream over SSE, then it cannot subscribe over the socket too, and closing the SSE stream frees its place', async () => {
    const live = new LiveStockLevels({ snapshot: snapshotOf({}), maxStreams: 10, maxStreamsPerCaller: 1 });
    const sse = new AbortController();
    await live.open(['A'], { closed: sse.signal, write: async () => undefined }, shopper);
    expect(() =>
      live.subscribe({ closed: new AbortController().signal, write: async () => undefined }, shopper),
    ).toThrow(TooManyStreamsForCaller);
    sse.abort();
    expect(() =>
      live.subscribe({ closed: new AbortController().signal, write: async () => undefined }, shopper),
    ).not.toThrow();
    expect(live.openStreams).toBe(1);
  });
});

describe('serveLiveStockSocket over a real socket', () => {
  let server: WebSocketServer;
  let url: string;
  let live: LiveStockLevels;

  beforeEach(async () => {
    live = new LiveStockLevels({
      snapshot: async (skus) => (skus ?? []).map((sku) => level(sku, 100)),
      maxStreams: 10,
    });
    server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise((resolve) => server.once('listening', resolve));
    url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    for (const client of server.clients) client.terminate();
    await new Promise((resolve) => server.close(resolve));
  });

  it('given a client that stops reading, when one SKU changes 20,000 times, then the server holds at most one pending level for it and the client ends on the latest', async () => {
    server.once('connection', (socket) =>
      serveLiveStockSocket(socket, {
        live,
        owner: shopper,
        charge: () => ({ granted: 1, retryAfterS: 0 }),
        highWaterBytes: 1024,
      }),
    );
    const client = new WebSocket(url);
    const levels: number[] = [];
    client.on('message', (data) => {
      const frame = JSON.parse(String(data)) as { type: string; level?: LiveLevel };
      if (frame.type === 'level') levels.push((frame.level as LiveLevel).available);
    });
    await new Promise((resolve) => client.once('open', resolve));
    client.send(JSON.stringify({ type: 'subscribe', skus: ['HOT'] }));
    while (levels.length === 0) await settle();
    client.pause();
    for (let change = 1; change <= 20_000; change++) {
      live.publish(level('HOT', change));
      if (change % 500 === 0) await settle();
    }
    expect(live.backlog).toBeLessThanOrEqual(1);
    client.resume();
    while (levels.at(-1) !== 20_000) await settle();
    // Most changes were coalesced away while the client was not reading, not queued for it.
    expect(levels.length).toBeLessThan(20_000);
    client.close();
  });

  it('given a client over its rate limit, then its frame is answered with a RATE_LIMITED error saying when to retry', async () => {
    server.once('connection', (socket) =>
      serveLiveStockSocket(socket, { live, owner: shopper, charge: () => ({ granted: 0, retryAfterS: 3 }) }),
    );
    const client = new WebSocket(url);
    await new Promise((resolve) => client.once('open', resolve));
    const answer = new Promise<unknown>((resolve) =>
      client.once('message', (data) => resolve(JSON.parse(String(data)))),
    );
    client.send(JSON.stringify({ type: 'ping' }));
    expect(await answer).toMatchObject({ type: 'error', error: 'RATE_LIMITED', retryAfterS: 3 });
    client.close();
  });
});
