import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { CheckoutRequest } from '@stockade/contracts';
import { StockadeError } from '@stockade/kernel';
import { createHttpApp } from './create-http-app';

const checkout = (checkoutId: string, quantity = 1): CheckoutRequest => ({
  checkoutId,
  customerId: 'ann',
  lines: [{ sku: 'LAMP', quantity, unitPrice: 10 }],
});

describe('batch checkouts on POST /checkouts', () => {
  let app: NestFastifyApplication;
  const placed: string[] = [];

  beforeAll(async () => {
    app = await createHttpApp(
      {
        orders: {
          placeOrder: async (request) => {
            if (request.checkoutId === 'overloaded')
              throw new StockadeError(
                'UNAVAILABLE',
                'more than 5000 orders are in flight; retry this checkout shortly',
                { retriable: true },
              );
            placed.push(request.checkoutId);
            return { orderId: request.checkoutId };
          },
          getOrder: async () => undefined,
          cancelOrder: async () => undefined,
        },
        readiness: { check: async () => ({ ready: true, details: {} }) },
        access: { operatorToken: 'op-secret-0123456789' },
        limits: { maxCheckoutsPerRequest: 4 },
      },
      { logger: false, bodyLimitBytes: 4096, batchBodyLimitBytes: 64 * 1024 },
    );
  });
  afterAll(() => app.close());
  beforeEach(() => void placed.splice(0));

  it('given a JSON array with one invalid and one overloaded checkout, when it is posted, then 207 answers each on its own and the valid ones are placed', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/checkouts',
      payload: [checkout('b-1'), checkout('b-2', 0), checkout('overloaded'), checkout('b-3')],
    });

    expect(response.statusCode).toBe(207);
    expect(response.json()).toEqual({
      accepted: 2,
      refused: 2,
      results: [
        { index: 0, status: 202, orderId: 'b-1' },
        {
          index: 1,
          status: 400,
          error: 'VALIDATION_FAILED',
          message: expect.any(String),
          issues: [{ field: 'lines.0.quantity', message: 'must be at least 1' }],
        },
        {
          index: 2,
          status: 503,
          error: 'UNAVAILABLE',
          message: expect.stringContaining('retry this checkout shortly'),
        },
        { index: 3, status: 202, orderId: 'b-3' },
      ],
    });
    expect(placed.sort()).toEqual(['b-1', 'b-3']);
  });

  it('given NDJSON with a line that is not JSON and blank lines, when it is posted, then that line alone is refused and the indexes count checkouts', async () => {
    const body = [JSON.stringify(checkout('n-1')), '', '{not json', JSON.stringify(checkout('n-2')), ''].join('\n');

    const response = await app.inject({
      method: 'POST',
      url: '/checkouts',
      headers: { 'content-type': 'application/x-ndjson' },
      payload: body,
    });

    expect(response.statusCode).toBe(207);
    const { results } = response.json<{ results: { index: number; status: number; issues?: { field: string }[] }[] }>();
    expect(results.map(({ index, status }) => [index, status])).toEqual([
      [0, 202],
      [1, 400],
      [2, 202],
    ]);
    expect(results[1]?.issues?.[0]?.field).toBe('(body)');
    expect(placed.sort()).toEqual(['n-1', 'n-2']);
  });

  it('given the same checkout twice in one batch, then both answer the same order (idempotent as one at a time)', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/checkouts',
      payload: [checkout('twice'), checkout('twice')],
    });

    expect(response.json<{ results: { orderId?: string }[] }>().results.map((result) => result.orderId)).toEqual([
      'twice',
      'twice',
    ]);
  });

  it.each([
    ['more checkouts than allowed', [1, 2, 3, 4, 5].map((i) => checkout(`x-${i}`)), 'at most 4 checkouts'],
    ['an empty array', [], 'at least one checkout'],
  ])(
    'given %s, then the whole request is 400 naming the body and nothing is placed',
    async (_case, payload, message) => {
      const response = await app.inject({ method: 'POST', url: '/checkouts', payload });

      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({
        error: 'VALIDATION_FAILED',
        issues: [{ field: '(body)', message: expect.stringContaining(message) }],
      });
      expect(placed).toEqual([]);
    },
  );

  it('given an NDJSON body over the batch limit, then 413', async () => {
    const body = Array.from({ length: 800 }, (_, i) => JSON.stringify(checkout(`big-${i}`))).join('\n');

    expect(
      (
        await app.inject({
          method: 'POST',
          url: '/checkouts',
          headers: { 'content-type': 'application/x-ndjson' },
          payload: body,
        })
      ).statusCode,
    ).toBe(413);
  });

  it('given a single checkout, then it is still 202 with the order id', async () => {
    const response = await app.inject({ method: 'POST', url: '/checkouts', payload: checkout('single') });

    expect([response.statusCode, response.json()]).toEqual([202, { orderId: 'single' }]);
  });
});
