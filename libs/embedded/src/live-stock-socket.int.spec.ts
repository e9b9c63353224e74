import { followLiveStock } from '../../../tools/client/live-stock-reader';
import { openLiveStockSocket, opened, ServerFrame } from '../../../tools/client/live-stock-socket';
import { OPERATOR_TOKEN, startTestSystem } from './testing/test-system';

jest.setTimeout(60_000);

const levelOf =
  (sku: string, matches: (level: Record<string, unknown>) => boolean = () => true) =>
  (frame: ServerFrame) =>
    frame.type === 'level' &&
    (frame['level'] as { sku: string }).sku === sku &&
    matches(frame['level'] as Record<string, unknown>);

describe('live stock levels over a WebSocket (embedded, open on loopback)', () => {
  let sut: Awaited<ReturnType<typeof startTestSystem>>;

  beforeAll(async () => {
    sut = await startTestSystem();
  });
  afterAll(async () => {
    await sut?.stop();
  });

  it('given a shopper subscribed to two SKUs (one never stocked), when stock is received, then it gets the current levels first and then the change; after unsubscribing, nothing more of that SKU', async () => {
    await sut.client.receiveStock('WS-LAMP', 6);
    const live = opened(await openLiveStockSocket(sut.system.url));
    try {
      live.send({ type: 'subscribe', skus: ['WS-LAMP', 'WS-NEVER'] });
      await live.frame(levelOf('WS-NEVER'));
      await live.frame(levelOf('WS-LAMP'));
      const [subscribed, ...levels] = live.frames;
      expect(subscribed).toEqual({ type: 'subscribed', skus: ['WS-LAMP', 'WS-NEVER'] });
      expect(
        new Map(
          levels.map((frame) => [
            (frame['level'] as { sku: string }).sku,
            (frame['level'] as { status: string }).status,
          ]),
        ),
      ).toEqual(
        new Map([
          ['WS-LAMP', 'IN_STOCK'],
          ['WS-NEVER', 'OUT_OF_STOCK'],
        ]),
      );

      await sut.client.receiveStock('WS-LAMP', 4);
      expect((await live.frame(levelOf('WS-LAMP', (level) => level['available'] === 10)))['level']).toMatchObject({
        onHand: 10,
        status: 'IN_STOCK',
        at: expect.any(String),
      });

      live.send({ type: 'unsubscribe', skus: ['WS-LAMP'] });
      await live.frame((frame) => frame.type === 'subscribed' && (frame['skus'] as string[]).length === 1);
      await sut.client.receiveStock('WS-LAMP', 1);
      await sut.client.receiveStock('WS-NEVER', 2);
      await live.frame(levelOf('WS-NEVER', (level) => level['available'] === 2));
      expect(live.frames.some(levelOf('WS-LAMP', (level) => level['available'] === 11))).toBe(false);

      live.send({ type: 'ping' });
      await live.frame((frame) => frame.type === 'pong');
    } finally {
      live.close();
    }
  });

  it('given a page of another site, when it opens the socket from a browser, then the handshake is refused 403; a page of this site opens it', async () => {
    const foreign = await openLiveStockSocket(sut.system.url, { origin: 'https://evil.example' });
    expect(foreign).toEqual({ refused: { status: 403, body: expect.objectContaining({ error: 'FORBIDDEN' }) } });

    const own = opened(await openLiveStockSocket(sut.system.url, { origin: sut.system.url }));
    own.close();
  });

  it('given a bad subscribe frame, then the error frame names the field; after five refused frames the socket is closed (1008)', async () => {
    const live = opened(await openLiveStockSocket(sut.system.url));
    live.send({ type: 'subscribe', skus: ['ok', 'not a sku!'] });
    expect(await live.frame((frame) => frame.type === 'error')).toMatchObject({
      error: 'VALIDATION_FAILED',
      issues: [expect.objectContaining({ field: 'skus.1' })],
    });
    live.send('not json');
    live.send({ type: 'subscribe', skus: Array.from({ length: 101 }, (_, index) => `SKU-${index}`) });
    live.send({ type: 'shout' });
    live.send({ type: 'subscribe' });
    expect(await live.closed).toEqual({ code: 1008, reason: 'too many refused frames' });
    const errors = live.frames
      .filter((frame) => frame.type === 'error')
      .map((frame) => (frame['issues'] as { field: string }[])[0]?.field);
    expect(errors).toEqual(['skus.1', '(frame)', 'skus', 'type', 'skus']);
  });
});

describe('live stock levels over a WebSocket (embedded, closed: an API token, one stream per caller)', () => {
  const API_TOKEN = 'ws-api-token-0123456789abcdef';
  let sut: Awaited<ReturnType<typeof startTestSystem>>;

  beforeAll(async () => {
    sut = await startTestSystem({
      STOCKADE_API_TOKEN: API_TOKEN,
      STOCKADE_MAX_LIVE_STREAMS_PER_CALLER: '1',
      STOCKADE_MAX_LIVE_STREAMS: '3',
      STOCKADE_OPERATOR_LIVE_STREAM_RESERVE: '1',
    });
  });
  afterAll(async () => {
    await sut?.stop();
  });

  it('given no token, then the handshake is refused 401; the API token as the bearer subprotocol (as a browser sends it) opens the socket', async () => {
    expect(await openLiveStockSocket(sut.system.url)).toEqual({
      refused: { status: 401, body: expect.objectContaining({ error: 'UNAUTHORIZED' }) },
    });
    expect(
      await openLiveStockSocket(sut.system.url, { token: 'a-wrong-token-0123456789', subprotocol: true }),
    ).toMatchObject({ refused: { status: 401 } });

    const live = opened(
      await openLiveStockSocket(sut.system.url, { token: API_TOKEN, subprotocol: true, origin: sut.system.url }),
    );
    expect(live.socket.protocol).toBe('stockade.live.v1');
    live.send({ type: 'subscribe', skus: ['WS-CLOSED'] });
    await live.frame(levelOf('WS-CLOSED'));
    live.close();
    await live.closed;
  });

  it('given the API token holding its one live stream over SSE, when it opens the socket too, then it is refused 429 (one pool for both transports) while the operator still connects', async () => {
    const aborter = new AbortController();
    try {
      const sse = await followLiveStock(`${sut.system.url}/inventory/stream?skus=WS-ONE`, {
        token: API_TOKEN,
        signal: aborter.signal,
        onLevel: () => undefined,
      });
      expect(sse.status).toBe(200);
      const second = await openLiveStockSocket(sut.system.url, { token: API_TOKEN });
      expect(second).toEqual({
        refused: {
          status: 429,
          body: expect.objectContaining({
            error: 'RATE_LIMITED',
            message: expect.stringContaining('STOCKADE_MAX_LIVE_STREAMS_PER_CALLER'),
          }),
        },
      });

      const operator = opened(await openLiveStockSocket(sut.system.url, { token: OPERATOR_TOKEN }));
      operator.send({ type: 'subscribe', skus: ['WS-ONE'] });
      await operator.frame(levelOf('WS-ONE'));
      expect(await sut.client.metricsText()).toContain('stockade_live_streams 2');
      operator.close();
    } finally {
      aborter.abort();
    }
  });
});
