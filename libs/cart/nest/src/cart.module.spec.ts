import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { stockLevelMessage } from '@stockade/cart-service/testing';
import { TOPICS } from '@stockade/contracts';
import { serviceTestBed, ServiceTestBed } from '@stockade/runtime/testing';
import { CartModule } from './cart.module';

async function waitForAvailability(
  app: NestFastifyApplication,
  cartId: string,
  sku: string,
  available: number,
): Promise<void> {
  for (let tries = 0; tries < 200; tries++) {
    await app.inject({ method: 'PUT', url: `/carts/${cartId}/items/${sku}`, payload: { quantity: 1 } });
    const cart = (await app.inject({ method: 'GET', url: `/carts/${cartId}` })).json<{
      lines: { sku: string; available: number }[];
    }>();
    if (cart.lines.find((line) => line.sku === sku)?.available === available) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`${sku} never showed ${available} available`);
}

describe('the cart service as a Nest module (Test.createTestingModule)', () => {
  let testBed: ServiceTestBed;
  let app: NestFastifyApplication;

  beforeAll(async () => {
    testBed = serviceTestBed([
      CartModule.register(
        { kind: 'feed', shared: false },
        { payments: { tokenize: async (token) => `ref:${token.length}` } },
      ),
    ]);
    app = await testBed.start();
  });

  afterAll(() => testBed.close());

  it('given a stock level of a listed SKU on inventory.stock-levels, when a shopper asks for more, then 409 names what is available', async () => {
    await testBed.bus.publish(TOPICS.stockLevels, [
      {
        key: 'NEST-CHAIR',
        value: JSON.parse(
          stockLevelMessage('NEST-CHAIR', 2, undefined, undefined, { name: 'Nest chair', unitPrice: 40 }),
        ),
      },
    ]);
    await app.inject({ method: 'POST', url: '/carts', payload: { cartId: 'cart-1', customerId: 'cy' } });
    await waitForAvailability(app, 'cart-1', 'NEST-CHAIR', 2);

    const tooMany = await app.inject({
      method: 'PUT',
      url: '/carts/cart-1/items/NEST-CHAIR',
      payload: { quantity: 3 },
    });

    expect(tooMany.statusCode).toBe(409);
    expect(tooMany.json()).toMatchObject({ message: expect.stringContaining('only 2 available, 3 requested') });
  });

  it('given a filled cart, when it checks out, then CheckoutRequested.v1 goes out through the Nest client keyed by the checkout id, at the price the stock level announced', async () => {
    const checkout = await app.inject({ method: 'POST', url: '/carts/cart-1/checkout', payload: {} });
    expect(checkout.statusCode).toBe(202);
    const { orderId } = checkout.json<{ orderId: string }>();

    const published = await testBed.nextMessage(TOPICS.checkoutRequested, (message) => message.key === orderId);

    expect(JSON.parse(published.value)).toMatchObject({
      type: 'CheckoutRequested.v1',
      data: { checkoutId: orderId, customerId: 'cy', lines: [{ sku: 'NEST-CHAIR', quantity: 1, unitPrice: 40 }] },
    });
  });
});
