import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { registeredRoutes } from '@stockade/api';
import { createHttpApp, HttpApiDependencies } from '@stockade/gateway';
import { CartModule } from '@stockade/cart-nest';
import { deploymentPaymentSimulator } from '@stockade/ordering-service';
import { INVENTORY_EVENT_STORE, InventoryModule } from '@stockade/inventory-nest';
import { ORDERING_EVENT_STORE, OrderingModule } from '@stockade/ordering-nest';
import { InMemoryEventStore } from '@stockade/event-store';
import { serviceTestBed, ServiceTestBed } from '@stockade/runtime/testing';

/**
 * Routes an app answers that its document leaves out, each for a reason: the document and its
 * viewer are not the API they document, and the pages' assets are files.
 */
const UNDOCUMENTED: Readonly<Record<string, string>> = {
  'GET /docs': 'Swagger UI, the viewer of the document',
  'GET /docs/openapi.json': 'the document itself',
  'GET /docs/assets/{file}': "Swagger UI's scripts and styles",
  'GET /ui/*': "the pages' scripts and styles",
};

/** `METHOD /path/{param}` of every route Fastify registered, but its automatic HEAD of each GET. */
function answered(app: NestFastifyApplication): string[] {
  return registeredRoutes(app.getHttpAdapter().getInstance())
    .filter((route) => route.method !== 'HEAD')
    .map((route) => `${route.method} ${route.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`);
}

async function documented(app: NestFastifyApplication): Promise<string[]> {
  const document = (await app.inject({ method: 'GET', url: '/docs/openapi.json' })).json<{
    paths: Record<string, Record<string, unknown>>;
  }>();
  return Object.entries(document.paths).flatMap(([path, operations]) =>
    Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
  );
}

const sorted = (routes: readonly string[]) => [...new Set(routes)].sort();

async function expectEveryRouteDocumented(app: NestFastifyApplication): Promise<void> {
  const routes = answered(app);
  expect(sorted(await documented(app))).toEqual(sorted(routes.filter((route) => UNDOCUMENTED[route] === undefined)));
}

const unused = <T>(): T => ({}) as T;

describe('every route an app answers is in the document it serves, and nothing else is', () => {
  it('given the gateway (every facade), then its document has every route of the public API and the operator surface', async () => {
    const every: HttpApiDependencies = {
      orders: unused(),
      inventory: unused(),
      carts: unused(),
      operations: unused(),
      deadLetters: unused(),
      rebuilds: unused(),
      liveStock: unused(),
      metrics: unused(),
      readiness: unused(),
      access: { operatorToken: 'op-secret' },
    };
    const app = await createHttpApp(every, { logger: false });
    try {
      await expectEveryRouteDocumented(app);
      expect(await documented(app)).toEqual(
        expect.arrayContaining(['POST /checkouts', 'GET /ops/dlq', 'GET /inventory/stream', 'GET /health/live']),
      );
    } finally {
      await app.close();
    }
  });

  describe.each([
    [
      'order-service',
      () => serviceTestBed([OrderingModule.register({ outcomesGroupId: 'test-outcomes' })]),
      ['POST /checkouts', 'GET /orders/{orderId}', 'POST /orders/{orderId}/cancel'],
      '/carts',
    ],
    [
      'inventory-service',
      () => serviceTestBed([InventoryModule.register()]),
      ['GET /inventory/{sku}', 'PUT /catalog/{sku}'],
      '/checkouts',
    ],
    [
      'cart-service',
      () =>
        serviceTestBed([
          CartModule.register(
            { kind: 'feed', shared: false },
            { payments: deploymentPaymentSimulator({ slowTokens: false }) },
          ),
        ]),
      ['POST /carts', 'POST /carts/{cartId}/checkout'],
      '/inventory/{sku}',
    ],
  ] as const)('given %s alone', (_name, testBedOf, own, others) => {
    let testBed: ServiceTestBed;
    let app: NestFastifyApplication;

    beforeAll(async () => {
      testBed = testBedOf();
      testBed.builder
        .overrideProvider(ORDERING_EVENT_STORE)
        .useValue(new InMemoryEventStore())
        .overrideProvider(INVENTORY_EVENT_STORE)
        .useValue(new InMemoryEventStore());
      app = await testBed.start();
    });
    afterAll(() => testBed.close());

    it('then it documents exactly the routes it answers', async () => {
      await expectEveryRouteDocumented(app);
    });

    it("then its document has its own routes and not another service's", async () => {
      const paths = await documented(app);
      expect(paths).toEqual(expect.arrayContaining([...own, 'GET /health/live', 'GET /metrics']));
      expect(paths.some((route) => route.endsWith(` ${others}`))).toBe(false);
    });
  });
});
