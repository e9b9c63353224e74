import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@stockade/event-store/sqlite';
import { loadConfig } from '@stockade/runtime';
import { EmbeddedSystem, startEmbeddedSystem } from '../embedded-system';
import { eventually } from '../testing/eventually';
import { OPERATOR_TOKEN } from '../testing/test-system';

/**
 * Issue 20, problem 7 (ADR 0021): no secret at rest or in view. Payment tokens are exchanged for
 * the gateway's reference before anything is written, operator views redact what older releases
 * stored, dead-letter routes read only dead-letter topics, and the data directory is the owner's.
 */
const CHECKOUT_TOKEN = 'tok_4111111111111111_checkout_secret';
const CART_TOKEN = 'tok_5555555555554444_cart_secret';
const LEGACY_TOKEN = 'tok_378282246310005_stored_by_an_older_release';

jest.setTimeout(120_000);

type Answer = { status: number; body: Record<string, any> };

describe('secrets at rest and in view', () => {
  let dataDir: string;
  let system: EmbeddedSystem;
  const call = async (method: string, path: string, body?: unknown, token?: string): Promise<Answer> => {
    const response = await fetch(`${system.url}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  };
  const operator = (method: string, path: string, body?: unknown) => call(method, path, body, OPERATOR_TOKEN);
  const completed = (orderId: string) =>
    eventually(
      () => call('GET', `/orders/${orderId}`),
      (answer) => answer.body.status === 'COMPLETED',
      `order ${orderId} to complete`,
    );
  const bytesOfDataDir = () =>
    readdirSync(dataDir)
      .map((name) => readFileSync(join(dataDir, name)).toString('latin1'))
      .join('\n');

  beforeAll(async () => {
    // As an older release (or a default umask) left it: a directory and a store file others may read.
    dataDir = mkdtempSync(join(tmpdir(), 'stockade-secrets-'));
    chmodSync(dataDir, 0o755);
    writeFileSync(join(dataDir, 'orders.db'), '', { mode: 0o644 });
    chmodSync(join(dataDir, 'orders.db'), 0o644);
    const config = loadConfig({
      PORT: '0',
      STOCKADE_DATA_DIR: dataDir,
      STOCKADE_OPERATOR_TOKEN: OPERATOR_TOKEN,
      STOCKADE_LOG_LEVEL: 'silent',
    });
    system = await startEmbeddedSystem(config);
    await operator('POST', '/inventory/SECRET-LAMP/receipts', { quantity: 10 });
    await operator('PUT', '/catalog/SECRET-LAMP', { name: 'Secret lamp', unitPrice: 10 });

    await call('POST', '/checkouts', {
      checkoutId: 'paid-1',
      customerId: 'alice',
      lines: [{ sku: 'SECRET-LAMP', quantity: 1, unitPrice: 10 }],
      paymentToken: CHECKOUT_TOKEN,
    });
    await call('POST', '/carts', { cartId: 'paid-cart', customerId: 'bob' });
    await call('PUT', '/carts/paid-cart/items/SECRET-LAMP', { quantity: 1 });
    await call('POST', '/carts/paid-cart/checkout', { paymentToken: CART_TOKEN });
    await completed('paid-1');
    await completed('paid-cart.1');
  });

  afterAll(async () => {
    await system.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('given checkouts paid with tokens (directly and from a cart), then no byte of any SQLite file (stores, message log, their WAL) holds a token, while the orders are there', () => {
    const bytes = bytesOfDataDir();
    expect(bytes).toContain('paid-cart.1');
    expect(bytes).toContain('sim:approve:');
    expect(bytes).not.toContain(CHECKOUT_TOKEN);
    expect(bytes).not.toContain(CART_TOKEN);
  });

  it('given those checkouts, when the operator reads the event feed and the order story, then neither shows a token, and the reference is redacted', async () => {
    const feed = await operator('GET', '/ops/events?order=paid-1&limit=50');
    const story = await operator('GET', '/ops/orders/paid-cart.1');
    expect(feed.body.events.find((event: { type: string }) => event.type === 'OrderPlaced').data).toMatchObject({
      paymentRef: '[redacted]',
    });
    expect(story.status).toBe(200);
    for (const shown of [JSON.stringify(feed.body), JSON.stringify(story.body)]) {
      expect(shown).not.toContain(CHECKOUT_TOKEN);
      expect(shown).not.toContain(CART_TOKEN);
      expect(shown).not.toContain('sim:approve:');
    }
  });

  it('given an order an older release stored with the raw token, when the operator reads the feed and its story, then the token is [redacted]', async () => {
    const orders = SqliteEventStore.open(join(dataDir, 'orders.db'));
    const metadata = { correlationId: 'legacy-1', causationId: 'legacy-1', occurredAt: new Date().toISOString() };
    const data = {
      orderId: 'legacy-1',
      customerId: 'carol',
      lines: [{ sku: 'SECRET-LAMP', quantity: 1, unitPrice: 10 }],
      paymentToken: LEGACY_TOKEN,
      total: 10,
      placedAt: metadata.occurredAt,
    };
    await orders.appendToStream('order-legacy-1', [{ id: 'legacy-event-1', type: 'OrderPlaced.v2', data, metadata }], {
      expectedVersion: 'no_stream',
    });
    await orders.close();

    const feed = await operator('GET', '/ops/events?order=legacy-1');
    const story = await operator('GET', '/ops/orders/legacy-1');
    expect(feed.body.events[0]).toMatchObject({
      type: 'OrderPlaced',
      data: { paymentToken: '[redacted]', customerId: 'carol' },
    });
    expect(story.body.events[0]).toMatchObject({ data: { paymentToken: '[redacted]' } });
    expect(JSON.stringify([feed.body, story.body])).not.toContain(LEGACY_TOKEN);
  });

  it('given a live topic (payment.commands), when the operator asks the dead-letter routes to list, replay or open it, then 400 naming topic, or 404', async () => {
    expect(await operator('GET', '/ops/dlq?topic=payment.commands')).toMatchObject({
      status: 400,
      body: { issues: [{ field: 'topic', message: 'must be a dead-letter topic (<topic>.dlq)' }] },
    });
    expect(await operator('POST', '/ops/dlq/replay', { by: 'ops', topic: 'payment.commands' })).toMatchObject({
      status: 400,
      body: { issues: [{ field: 'topic' }] },
    });
    expect((await operator('GET', '/ops/dlq/payment.commands:0:0')).status).toBe(404);
    expect((await operator('GET', '/ops/dlq?topic=payment.commands.dlq')).status).toBe(200);
  });

  it('given a data directory and a store file others could read, when the system has run, then the directory is 0700 and every file in it (stores, message log, -wal, -shm) 0600', () => {
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    const files = readdirSync(dataDir);
    expect(files).toEqual(
      expect.arrayContaining([
        'orders.db',
        'inventory.db',
        'messages.db',
        'orders.db-wal',
        'messages.db-wal',
        'messages.db-shm',
      ]),
    );
    expect(
      Object.fromEntries(files.map((name) => [name, (statSync(join(dataDir, name)).mode & 0o777).toString(8)])),
    ).toEqual(Object.fromEntries(files.map((name) => [name, '600'])));
  });
});
