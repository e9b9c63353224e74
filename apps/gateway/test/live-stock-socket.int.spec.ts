import { DistributedStack, KAFKA_BROKERS, POSTGRES_URL } from '../../../tools/client/distributed-stack';
import { openLiveStockSocket, opened, ServerFrame } from '../../../tools/client/live-stock-socket';

jest.setTimeout(180_000);

const levelOf = (sku: string, available: number) => (frame: ServerFrame) =>
  frame.type === 'level' &&
  (frame['level'] as { sku: string; available: number }).sku === sku &&
  (frame['level'] as { available: number }).available === available;

describe('live stock over a WebSocket through the distributed gateway (Kafka, PostgreSQL)', () => {
  const API_TOKEN = 'ws-gateway-api-token-0123456789';
  let stack: DistributedStack;

  beforeAll(async () => {
    stack = new DistributedStack(POSTGRES_URL, {}, KAFKA_BROKERS, { gatewayEnv: { STOCKADE_API_TOKEN: API_TOKEN } });
    await stack.start();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('given a storefront subscribed through the gateway, when stock is received at inventory-service, then it gets the current level first and then the change from inventory.stock-levels; no token is refused 401', async () => {
    expect(await openLiveStockSocket(stack.gateway.url)).toMatchObject({ refused: { status: 401 } });
    const client = stack.client();
    await client.receiveStock('GW-SOCK', 4);
    const live = opened(await openLiveStockSocket(stack.gateway.url, { token: API_TOKEN, subprotocol: true }));
    try {
      live.send({ type: 'subscribe', skus: ['GW-SOCK'] });
      await live.frame(levelOf('GW-SOCK', 4), 30_000);
      await client.receiveStock('GW-SOCK', 3);
      expect((await live.frame(levelOf('GW-SOCK', 7), 60_000))['level']).toMatchObject({
        onHand: 7,
        at: expect.any(String),
      });
    } finally {
      live.close();
    }
  });
});
