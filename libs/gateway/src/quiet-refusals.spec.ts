import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { StockadeError } from '@stockade/kernel';
import { createHttpApp } from './create-http-app';

/**
 * What the server prints when it refuses: a refusal (401, 415, 429, an overload 503) is the system
 * working, so it must not flood the log with ERROR lines and stack traces; an unexpected failure must.
 */
describe('quiet refusals', () => {
  let app: NestFastifyApplication;
  let printed: string[] = [];
  const spies: jest.SpyInstance[] = [];

  beforeAll(async () => {
    app = await createHttpApp(
      {
        orders: {
          placeOrder: async () => {
            throw new StockadeError('UNAVAILABLE', 'more than 5000 orders are in flight; retry this checkout shortly', {
              retriable: true,
            });
          },
          getOrder: async () => undefined,
          cancelOrder: async () => undefined,
        },
        readiness: { check: async () => ({ ready: true, details: {} }) },
        // Exposed: /metrics needs a token, so an anonymous scrape is a 401.
        access: {
          operatorToken: 'operator-token-0123456789',
          exposed: true,
          rateLimits: { anonymous: { perSecond: 0.001, burst: 3 } },
        },
      },
      // Debug too, so a refusal's line shows whatever level it is logged at.
      { logger: ['error', 'warn', 'debug'] },
    );
    for (const stream of [process.stdout, process.stderr]) {
      spies.push(
        jest
          .spyOn(stream, 'write')
          .mockImplementation((chunk: string | Uint8Array) => (printed.push(String(chunk)), true)),
      );
    }
  });
  afterAll(async () => {
    for (const spy of spies) spy.mockRestore();
    await app.close();
  });
  beforeEach(() => (printed = []));

  const checkout = (checkoutId: string) => ({
    checkoutId,
    customerId: 'ann',
    lines: [{ sku: 'LAMP', quantity: 1, unitPrice: 3 }],
  });
  const post = (payload: unknown) => app.inject({ method: 'POST', url: '/checkouts', payload } as never);

  it('given an overloaded pipeline (503), a form post (415), /metrics without a token (401) and a caller past its rate (429), then nothing is logged as an error and no stack is printed', async () => {
    const statuses = [
      (await post(checkout('busy'))).statusCode,
      (
        await app.inject({
          method: 'POST',
          url: '/orders/x/cancel',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          payload: 'a=1',
        } as never)
      ).statusCode,
      (await app.inject({ method: 'GET', url: '/metrics' } as never)).statusCode,
      (await post(checkout('limited'))).statusCode,
    ];
    expect(statuses).toEqual([503, 415, 401, 429]);
    const log = printed.join('');
    expect(log).not.toMatch(/ERROR/);
    expect(log).not.toMatch(/\n\s+at /);
    // One debug line each, naming the route and the answer.
    expect(log).toMatch(/POST \/checkouts answered 503 UNAVAILABLE/);
    expect(log).toMatch(/POST \/orders\/:orderId\/cancel answered 415 UNSUPPORTED_MEDIA_TYPE/);
    expect(log).toMatch(/GET \/metrics answered 401 UNAUTHORIZED/);
    expect(log).toMatch(/POST \/checkouts answered 429 RATE_LIMITED/);
  });

  it('given an unexpected failure (500), then it is logged as an error with its stack', async () => {
    await app.close().catch(() => undefined);
    app = await createHttpApp(
      {
        orders: {
          placeOrder: async () => Promise.reject(new Error('a bug, not a refusal')),
          getOrder: async () => undefined,
          cancelOrder: async () => undefined,
        },
        readiness: { check: async () => ({ ready: true, details: {} }) },
        access: { operatorToken: 'operator-token-0123456789' },
      },
      { logger: ['error', 'warn', 'debug'] },
    );
    printed = [];
    expect((await post(checkout('boom'))).statusCode).toBe(500);
    const log = printed.join('');
    expect(log).toMatch(/ERROR/);
    expect(log).toMatch(/a bug, not a refusal\n\s+at /);
  });
});
