import { connect } from 'node:net';
import { OPERATOR_TOKEN, startTestSystem } from './testing/test-system';

jest.setTimeout(60_000);

type Sut = Awaited<ReturnType<typeof startTestSystem>>;
type Answer = {
  status: number;
  body: { error?: string; message?: string; issues?: { field: string; message: string }[] } | undefined;
};

const line = (sku: string, quantity: unknown = 1) => ({ sku, quantity: quantity as number, unitPrice: 5 });
const checkout = (overrides: Record<string, unknown> = {}) => ({
  checkoutId: 'hostile-x',
  customerId: 'mallory',
  lines: [line('HOST-LAMP')],
  ...overrides,
});

/** Raw bytes over a socket, as a hostile client sends them (invalid UTF-8, truncated JSON, a slow body). */
function rawRequest(
  port: number,
  head: string,
  body: Buffer,
  options: { dribbleMs?: number } = {},
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.on('data', (chunk) => (received += chunk.toString('latin1')));
    socket.on('error', reject);
    socket.on('close', () =>
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(received)?.[1] ?? 0), text: received }),
    );
    socket.write(head);
    if (options.dribbleMs === undefined) {
      socket.write(body);
      return;
    }
    // Slow loris: one byte now and then, never the whole body.
    let sent = 0;
    const timer = setInterval(() => {
      if (socket.destroyed || sent >= body.length - 1) return clearInterval(timer);
      socket.write(body.subarray(sent, sent + 1));
      sent++;
    }, options.dribbleMs);
    socket.on('close', () => clearInterval(timer));
  });
}

describe('hostile input at every HTTP endpoint (embedded)', () => {
  let sut: Sut;
  const send = async (method: string, path: string, body: unknown, operator = false): Promise<Answer> => {
    const response = await fetch(`${sut.system.url}${path}`, {
      method,
      headers: {
        'content-type': 'application/json',
        ...(operator ? { authorization: `Bearer ${OPERATOR_TOKEN}` } : {}),
      },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as Answer['body']) : undefined };
  };

  beforeAll(async () => {
    sut = await startTestSystem({ STOCKADE_REQUEST_TIMEOUT_MS: '1500' });
    await sut.client.receiveStock('HOST-LAMP', 5);
  });

  afterAll(async () => {
    await sut?.stop();
  });

  /** After each hostile request: the server is up, the next valid request is served, and the stock is untouched. */
  afterEach(async () => {
    expect(await sut.client.stock('HOST-LAMP')).toMatchObject({ onHand: 5, reserved: 0 });
    expect((await fetch(`${sut.system.url}/health/live`)).status).toBe(200);
  });

  it.each<[string, unknown, string]>([
    ['a quantity that is a string', checkout({ lines: [line('HOST-LAMP', '2')] }), 'lines.0.quantity'],
    ['a negative quantity', checkout({ lines: [line('HOST-LAMP', -3)] }), 'lines.0.quantity'],
    ['a fractional quantity', checkout({ lines: [line('HOST-LAMP', 1.5)] }), 'lines.0.quantity'],
    ['a huge quantity', checkout({ lines: [line('HOST-LAMP', 1e15)] }), 'lines.0.quantity'],
    [
      'hundreds of lines',
      checkout({ lines: Array.from({ length: 500 }, (_, index) => line(`HOST-${index}`)) }),
      'lines',
    ],
    ['the same SKU twice', checkout({ lines: [line('HOST-LAMP'), line('HOST-LAMP')] }), 'lines'],
    ['a status it must not set', checkout({ status: 'COMPLETED' }), 'status'],
    ['a price field it must not set', checkout({ price: 0 }), 'price'],
    ['a line without a price', checkout({ lines: [{ sku: 'HOST-LAMP', quantity: 1 }] }), 'lines.0.unitPrice'],
    ['a line priced 0', checkout({ lines: [{ ...line('HOST-LAMP'), unitPrice: 0 }] }), 'lines.0.unitPrice'],
    ['a negative price', checkout({ lines: [{ ...line('HOST-LAMP'), unitPrice: -5 }] }), 'lines.0.unitPrice'],
    ['a price of a thousandth', checkout({ lines: [{ ...line('HOST-LAMP'), unitPrice: 0.001 }] }), 'lines.0.unitPrice'],
    ['a price of 1e308', checkout({ lines: [{ ...line('HOST-LAMP'), unitPrice: 1e308 }] }), 'lines.0.unitPrice'],
    ['a SKU with control characters', checkout({ lines: [line('HOST\u0000LAMP\n')] }), 'lines.0.sku'],
    ['a checkout id of 10,000 characters', checkout({ checkoutId: 'x'.repeat(10_000) }), 'checkoutId'],
    ['a customer id with control characters', checkout({ customerId: 'eve\r\nX-Injected: 1' }), 'customerId'],
    ['no lines at all', checkout({ lines: [] }), 'lines'],
    ['lines that are not a list', checkout({ lines: { sku: 'HOST-LAMP' } }), 'lines'],
  ])(
    'given a checkout with %s, then it is a 400 naming the field and nothing is written',
    async (_case, body, field) => {
      const answer = await send('POST', '/checkouts', body);
      expect(answer.status).toBe(400);
      expect(answer.body?.issues?.map((issue) => issue.field).join(' ')).toContain(field);
      expect((await fetch(`${sut.system.url}/orders/hostile-x`)).status).toBe(404);
    },
  );

  it.each<[string, string]>([
    [
      '__proto__',
      '{"checkoutId":"hostile-p","customerId":"m","lines":[{"sku":"HOST-LAMP","quantity":1,"unitPrice":5}],"__proto__":{"admin":true}}',
    ],
    [
      'constructor.prototype',
      '{"checkoutId":"hostile-c","customerId":"m","lines":[{"sku":"HOST-LAMP","quantity":1,"unitPrice":5}],"constructor":{"prototype":{"admin":true}}}',
    ],
  ])('given a body with a %s key, then it is refused with 400 and no object is polluted', async (_case, body) => {
    const answer = await send('POST', '/checkouts', body);
    expect(answer.status).toBe(400);
    expect(({} as Record<string, unknown>)['admin']).toBeUndefined();
  });

  it('given truncated JSON, then it is a 400 naming the body', async () => {
    const answer = await send('POST', '/checkouts', '{"checkoutId":"hostile-t","lines":[{"sku":');
    expect(answer.status).toBe(400);
    expect(answer.body?.issues?.[0]?.field).toBe('(body)');
  });

  it('given a body that is not UTF-8, then it is a 400 and nothing is written', async () => {
    const body = Buffer.concat([
      Buffer.from('{"checkoutId":"hostile-u","customerId":"'),
      Buffer.from([0xff, 0xfe, 0xc3]),
      Buffer.from('","lines":[{"sku":"HOST-LAMP","quantity":1,"unitPrice":5}]}'),
    ]);
    const port = Number(new URL(sut.system.url).port);
    const answer = await rawRequest(
      port,
      `POST /checkouts HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\nconnection: close\r\n\r\n`,
      body,
    );
    expect(answer.status).toBe(400);
    expect((await fetch(`${sut.system.url}/orders/hostile-u`)).status).toBe(404);
  });

  it('given thousands of lines (a body over the limit), then it is refused as too large (413)', async () => {
    const answer = await send(
      'POST',
      '/checkouts',
      checkout({ lines: Array.from({ length: 5_000 }, (_, index) => line(`HOST-${index}`)) }),
    );
    expect(answer.status).toBe(413);
  });

  it('given a 10 MB body, then it is refused as too large (413) without being read into memory', async () => {
    const answer = await send(
      'POST',
      '/checkouts',
      JSON.stringify(checkout({ paymentToken: 'x'.repeat(10 * 1024 * 1024) })),
    );
    expect(answer.status).toBe(413);
  });

  it('given a slow-loris body (a byte now and then), then the server gives up on it within its request timeout and keeps serving', async () => {
    const port = Number(new URL(sut.system.url).port);
    const body = Buffer.from(JSON.stringify(checkout({ checkoutId: 'hostile-slow' })));
    const started = Date.now();
    const slow = rawRequest(
      port,
      `POST /checkouts HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n`,
      body,
      { dribbleMs: 200 },
    );
    // Meanwhile others are served.
    expect((await sut.client.stock('HOST-LAMP')).onHand).toBe(5);
    const answer = await slow;
    expect([0, 408]).toContain(answer.status);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect((await fetch(`${sut.system.url}/orders/hostile-slow`)).status).toBe(404);
  });

  it.each<[string, string, string, unknown, string]>([
    ['a receipt of a fractional quantity', 'POST', '/inventory/HOST-LAMP/receipts', { quantity: 0.5 }, 'quantity'],
    [
      'a receipt with an unknown field',
      'POST',
      '/inventory/HOST-LAMP/receipts',
      { quantity: 1, onHand: 1_000 },
      'onHand',
    ],
    ['an adjustment without a reason', 'POST', '/inventory/HOST-LAMP/adjustments', { delta: -1 }, 'reason'],
    [
      'an adjustment of a huge delta',
      'POST',
      '/inventory/HOST-LAMP/adjustments',
      { delta: 1e300, reason: 'x' },
      'delta',
    ],
    [
      'settings with a negative threshold',
      'PUT',
      '/inventory/HOST-LAMP/settings',
      { lowStockThreshold: -1, reorderPoint: null, reorderQuantity: null },
      'lowStockThreshold',
    ],
    [
      'settings with a string point',
      'PUT',
      '/inventory/HOST-LAMP/settings',
      { lowStockThreshold: null, reorderPoint: '3', reorderQuantity: 5 },
      'reorderPoint',
    ],
    ['a SKU with a control character', 'POST', '/inventory/HOST%00LAMP/receipts', { quantity: 1 }, 'sku'],
    ['a listing priced 0', 'PUT', '/catalog/HOST-LAMP', { name: 'Lamp', unitPrice: 0 }, 'unitPrice'],
    ['a listing of three decimals', 'PUT', '/catalog/HOST-LAMP', { name: 'Lamp', unitPrice: 9.999 }, 'unitPrice'],
    ['a listing without a name', 'PUT', '/catalog/HOST-LAMP', { unitPrice: 5 }, 'name'],
  ])('given an operator request with %s, then it is a 400 naming %s', async (_case, method, path, body, field) => {
    const answer = await send(method, path, body, true);
    expect(answer.status).toBe(400);
    expect(answer.body?.issues?.map((issue) => issue.field).join(' ')).toContain(field);
  });

  it.each<[string, string, string, unknown, string]>([
    ['a cart item of a negative quantity', 'PUT', '/carts/hostile-cart/items/HOST-LAMP', { quantity: -1 }, 'quantity'],
    [
      'a cart item with its own price',
      'PUT',
      '/carts/hostile-cart/items/HOST-LAMP',
      { quantity: 1, unitPrice: 0.01 },
      'unitPrice',
    ],
    ['a cart id with control characters', 'PUT', '/carts/hostile%0Acart/items/HOST-LAMP', { quantity: 1 }, 'cartId'],
    [
      'a live stream of 1,000 SKUs',
      'GET',
      `/inventory/stream?skus=${Array.from({ length: 1_000 }, (_, index) => `S${index}`).join(',')}`,
      undefined,
      'skus',
    ],
  ])('given a shopper request with %s, then it is a 400 naming %s', async (_case, method, path, body, field) => {
    const answer = await send(method, path, body);
    expect(answer.status).toBe(400);
    expect(answer.body?.issues?.map((issue) => issue.field).join(' ')).toContain(field);
  });

  it('given a SKU of 10,000 characters in the path, then it is refused as too long (414) before any route runs', async () => {
    const answer = await send('POST', `/inventory/${'S'.repeat(10_000)}/receipts`, { quantity: 1 }, true);
    expect(answer.status).toBe(414);
  });

  it('given all of that, then a valid checkout is still served to its end', async () => {
    await sut.client.checkout(checkout({ checkoutId: 'hostile-ok', lines: [line('HOST-LAMP', 1)] }));
    expect((await sut.client.waitForTerminal('hostile-ok', 10_000)).status).toBe('COMPLETED');
    await sut.client.receiveStock('HOST-LAMP', 1); // back to 5 on hand for the afterEach check
  });
});
