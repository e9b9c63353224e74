import { startTestSystem } from '@stockade/embedded/testing';
import { DEMO_CATALOG, runFlashSale } from './flash-sale';

jest.setTimeout(60_000);

describe('the demo flash sale (npm run demo)', () => {
  it('given an empty Stockade, when the demo runs, then every SKU it seeds is listed at its price (the shop’s catalog), orders are priced from it, and nothing is oversold', async () => {
    const sut = await startTestSystem();
    try {
      const summary = await runFlashSale(sut.client, {
        shoppers: 12,
        seed: 7,
        runId: 'spec',
        declineRate: 0,
        cancelRate: 0,
      });

      expect(summary).toMatchObject({ oversold: 0, notTerminal: 0 });
      const catalog = await sut.client.catalog();
      expect(catalog.items.map(({ sku, name, unitPrice }) => ({ sku, name, unitPrice }))).toEqual(
        [...DEMO_CATALOG]
          .sort((a, b) => (a.sku < b.sku ? -1 : 1))
          .map(({ sku, name, unitPrice }) => ({ sku, name, unitPrice })),
      );
      const prices = new Map(DEMO_CATALOG.map((item) => [item.sku, item.unitPrice]));
      const first = await sut.client.order('demo-spec-0');
      for (const line of first.lines) expect(line.unitPrice).toBe(prices.get(line.sku));
    } finally {
      await sut.stop();
    }
  });
});
