import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigurationError, loadConfig } from '@stockade/runtime';
import { followLiveStock } from '../../../../tools/client/live-stock-reader';
import { startEmbeddedSystem } from '../embedded-system';
import { OPERATOR_TOKEN, startTestSystem } from '../testing/test-system';

jest.setTimeout(60_000);

/** Tokens as `openssl rand -base64 24` makes them. */
const API = 'Zt6Pq1Lm9Xw3Rk7Vb2Nc5Hy8Jd0Fs4Ga';
const WEB = 'Wb7Kx3Qm9Ts1Lp5Zr2Vn8Cy4Hd0Jf6Ga';
const POS = 'Pq2Lx8Vm4Rt6Kz0Nb3Wc9Hy1Jd5Fs7Ga';
const METRICS = 'Mk4Ty8Wq2Pz6Lc0Vn3Rb7Xj1Hd5Gs9Fa';

type Sut = Awaited<ReturnType<typeof startTestSystem>>;
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const checkout = (checkoutId: string, customerId = 'web:ann', paymentToken?: string) => ({
  checkoutId,
  customerId,
  lines: [{ sku: 'EDGE-LAMP', quantity: 1, unitPrice: 5 }],
  ...(paymentToken ? { paymentToken } : {}),
});

/** Sends only the head of a request and waits for whatever the server answers meanwhile. */
function headOnly(port: number, head: string, waitMs: number): Promise<{ answered: string; closedByServer: boolean }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let answered = '';
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ answered, closedByServer: false });
    }, waitMs);
    socket.on('data', (chunk) => (answered += chunk.toString('latin1')));
    socket.on('error', reject);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ answered, closedByServer: true });
    });
    socket.write(head);
  });
}

async function until<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  what: string,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('the edge of a closed deployment (embedded, API and upstream tokens)', () => {
  let sut: Sut;
  const url = (path: string) => `${sut.system.url}${path}`;

  beforeAll(async () => {
    sut = await startTestSystem({
      STOCKADE_API_TOKEN: API,
      STOCKADE_UPSTREAM_TOKENS: `web=${WEB},pos=${POS}`,
      STOCKADE_METRICS_TOKEN: METRICS,
      STOCKADE_MAX_LIVE_STREAMS: '8',
      STOCKADE_OPERATOR_LIVE_STREAM_RESERVE: '2',
      STOCKADE_MAX_LIVE_STREAMS_PER_CALLER: '5',
      // The cross-site form test keeps an order open with a slow payment (`delay:` tokens).
      STOCKADE_PAYMENT_SIMULATOR_SLOW_TOKENS: 'true',
    });
    await sut.client.receiveStock('EDGE-LAMP', 50);
  });
  afterAll(() => sut?.stop());

  it('given no token, when a 4 MiB NDJSON batch is posted, then it is answered 401 before a byte of the body is sent, and the connection is closed', async () => {
    const port = Number(new URL(sut.system.url).port);
    const head = `POST /checkouts HTTP/1.1\r\nhost: x\r\ncontent-type: application/x-ndjson\r\ncontent-length: ${4 * 1024 * 1024}\r\n\r\n`;
    // The body is never sent: an answer can only come from a server that did not wait to read it.
    const { answered, closedByServer } = await headOnly(port, head, 3_000);
    expect(answered).toMatch(/^HTTP\/1\.1 401 /);
    expect(answered).toMatch(/\r\nconnection: close\r\n/i);
    expect(closedByServer).toBe(true);
  });

  it('given an order, when a cross-site form posts its cancel (urlencoded or text/plain), then 415 and the order goes on; a JSON cancel with an empty body cancels it', async () => {
    // A payment that takes its time keeps the order open while the forms try.
    await fetch(url('/checkouts'), {
      method: 'POST',
      headers: { ...bearer(WEB), 'content-type': 'application/json' },
      body: JSON.stringify(checkout('edge-csrf', 'web:ann', 'delay:4000')),
    });
    for (const [contentType, body] of [
      ['application/x-www-form-urlencoded', 'confirm=yes'],
      ['text/plain', '{}'],
    ] as const) {
      const form = await fetch(url('/orders/edge-csrf/cancel'), {
        method: 'POST',
        headers: { ...bearer(WEB), 'content-type': contentType },
        body,
      });
      expect([form.status, ((await form.json()) as { error: string }).error]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
    }
    const noType = await fetch(url('/orders/edge-csrf/cancel'), { method: 'POST', headers: bearer(WEB) });
    expect(noType.status).toBe(415);
    const order = async () =>
      ((await (await fetch(url('/orders/edge-csrf'), { headers: bearer(WEB) })).json()) as { status: string }).status;
    expect(await order()).toBe('PENDING');

    const json = await fetch(url('/orders/edge-csrf/cancel'), {
      method: 'POST',
      headers: { ...bearer(WEB), 'content-type': 'application/json' },
    });
    expect(json.status).toBe(202);
    expect(await until(order, (status) => status !== 'PENDING', 'the cancellation')).toBe('CANCELLED');
  });

  it('given tokens configured, then /metrics and /health/ready answer 401 without a token and 200 with the metrics token; /health/live answers anyone', async () => {
    const status = async (path: string, headers: Record<string, string> = {}) =>
      (await fetch(url(path), { headers })).status;
    expect([
      await status('/metrics'),
      await status('/health/ready'),
      await status('/health'),
      await status('/metrics', bearer(API)),
    ]).toEqual([401, 401, 401, 401]);
    const scrape = await fetch(url('/metrics'), { headers: bearer(METRICS) });
    expect([scrape.status, await scrape.text()]).toEqual([200, expect.stringContaining('stockade_orders_in_flight')]);
    expect(await status('/health/ready', bearer(METRICS))).toBe(200);
    expect(await status('/health/live')).toBe(200);
    // Read-only: the metrics token places nothing.
    expect(
      (
        await fetch(url('/checkouts'), {
          method: 'POST',
          headers: { ...bearer(METRICS), 'content-type': 'application/json' },
          body: JSON.stringify(checkout('edge-metrics')),
        })
      ).status,
    ).toBe(401);
  });

  it('given a pool of 8 streams, 2 kept for operators and 5 per caller, when one channel opens streams until refused, then its 6th is 429; another channel fills the pool to 6 and is refused 503; the operator still opens its 2', async () => {
    const aborter = new AbortController();
    try {
      const open = async (path: string, token: string) => {
        const stream = await followLiveStock(url(path), { token, signal: aborter.signal, onLevel: () => undefined });
        stream.done.catch(() => undefined); // ends when the test aborts
        return stream.status;
      };
      const web = [];
      for (let stream = 0; stream < 6; stream++) web.push(await open('/inventory/stream?skus=EDGE-LAMP', WEB));
      expect(web).toEqual([200, 200, 200, 200, 200, 429]);
      expect([
        await open('/inventory/stream?skus=EDGE-LAMP', POS),
        await open('/inventory/stream?skus=EDGE-LAMP', POS),
      ]).toEqual([200, 503]);
      expect([
        await open('/ops/stock-stream', OPERATOR_TOKEN),
        await open('/ops/stock-stream', OPERATOR_TOKEN),
        await open('/ops/stock-stream', OPERATOR_TOKEN),
      ]).toEqual([200, 200, 503]);
    } finally {
      aborter.abort();
    }
  });
});

describe('rate limits by default (embedded, open on loopback)', () => {
  let sut: Sut;
  beforeAll(async () => {
    // '' is the default: the test system otherwise turns limits off for the load it sends.
    sut = await startTestSystem({
      STOCKADE_RATE_LIMIT_PER_SECOND: '',
      STOCKADE_ANONYMOUS_RATE_LIMIT_PER_SECOND: '1',
      STOCKADE_ANONYMOUS_RATE_LIMIT_BURST: '10',
    });
    await sut.client.receiveStock('EDGE-LAMP', 50);
  });
  afterAll(() => sut?.stop());

  it('given an address with a budget of 10, when it posts a batch of 15 checkouts, then 10 are placed and 5 answered 429 in the results, never placed', async () => {
    const lines = Array.from({ length: 15 }, (_, index) => JSON.stringify(checkout(`edge-batch-${index}`, 'ann'))).join(
      '\n',
    );
    const batch = await fetch(`${sut.system.url}/checkouts`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson' },
      body: lines,
    });
    const answer = (await batch.json()) as {
      accepted: number;
      refused: number;
      results: { index: number; status: number; error?: string }[];
    };
    expect([batch.status, answer.accepted, answer.refused]).toEqual([207, 10, 5]);
    expect(
      answer.results.filter((result) => result.status === 429).map((result) => [result.index, result.error]),
    ).toEqual([10, 11, 12, 13, 14].map((index) => [index, 'RATE_LIMITED']));
    // The refused ones were never placed (asked as the operator, who is not limited).
    expect(
      (await fetch(`${sut.system.url}/ops/orders/edge-batch-14`, { headers: bearer(OPERATOR_TOKEN) })).status,
    ).toBe(404);
    expect((await fetch(`${sut.system.url}/ops/orders/edge-batch-9`, { headers: bearer(OPERATOR_TOKEN) })).status).toBe(
      200,
    );
  });
});

describe('closed by default: starting beyond loopback', () => {
  const STRONG_OPERATOR = 'Oq9Xz3Lm7Kt1Wv5Rb8Nc2Hy6Jd0Fs4Ga';

  async function start(env: Record<string, string>): Promise<unknown> {
    const dataDir = mkdtempSync(join(tmpdir(), 'stockade-edge-'));
    try {
      const system = await startEmbeddedSystem(
        loadConfig({
          PORT: '0',
          STOCKADE_DATA_DIR: dataDir,
          STOCKADE_LOG_LEVEL: 'silent',
          STOCKADE_OPERATOR_TOKEN: STRONG_OPERATOR,
          ...env,
        }),
      );
      await system.close();
      return 'started';
    } catch (error) {
      return error;
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }

  it('given HOST=0.0.0.0 and no API or upstream token, then the embedded system refuses to start, naming HOST, STOCKADE_API_TOKEN and STOCKADE_UPSTREAM_TOKENS', async () => {
    const outcome = await start({ HOST: '0.0.0.0' });
    expect(outcome).toBeInstanceOf(ConfigurationError);
    expect((outcome as Error).message).toMatch(
      /HOST is 0\.0\.0\.0, beyond loopback.*STOCKADE_API_TOKEN nor STOCKADE_UPSTREAM_TOKENS/,
    );
  });

  it('given HOST=0.0.0.0 and an API token that looks like a placeholder, then it refuses naming STOCKADE_API_TOKEN; with a strong one it starts', async () => {
    const weak = await start({ HOST: '0.0.0.0', STOCKADE_API_TOKEN: 'change-me-shop-api-token-0123' });
    expect((weak as Error).message).toMatch(/STOCKADE_API_TOKEN looks like a placeholder/);
    expect(await start({ HOST: '0.0.0.0', STOCKADE_API_TOKEN: API })).toBe('started');
  });
});
