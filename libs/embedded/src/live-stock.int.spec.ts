import type { LiveLevel } from '@stockade/api';
import { followLiveStock } from '../../../tools/client/live-stock-reader';
import { OPERATOR_TOKEN, startTestSystem } from './testing/test-system';

// Each test starts a system of its own: on a busy machine that alone can take Jest's default 5 s.
jest.setTimeout(30_000);

async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('live stock levels over Server-Sent Events (embedded)', () => {
  it('given a shopper following three SKUs (one never stocked), when another shopper buys, then the stream sends the current levels first and then the new level with its badge', async () => {
    const sut = await startTestSystem();
    const aborter = new AbortController();
    try {
      await sut.client.receiveStock('LIVE-LAMP', 6);
      await sut.client.receiveStock('LIVE-DESK', 2);
      await sut.client.receiveStock('LIVE-OTHER', 2);
      const seen: LiveLevel[] = [];
      const stream = await followLiveStock(`${sut.system.url}/inventory/stream?skus=LIVE-LAMP,LIVE-DESK,LIVE-NEVER`, {
        signal: aborter.signal,
        onLevel: (level) => seen.push(level),
      });
      expect(stream.status).toBe(200);
      await until(() => seen.length >= 3, 'the snapshot');
      // A SKU that never received stock is out of stock: the page need not wait for a level.
      expect(new Map(seen.map((level) => [level.sku, level.status]))).toEqual(
        new Map([
          ['LIVE-LAMP', 'IN_STOCK'],
          ['LIVE-DESK', 'LIMITED'],
          ['LIVE-NEVER', 'OUT_OF_STOCK'],
        ]),
      );

      await sut.client.checkout({
        checkoutId: 'live-1',
        customerId: 'bob',
        lines: [{ sku: 'LIVE-LAMP', quantity: 1, unitPrice: 10 }],
      });
      await sut.client.checkout({
        checkoutId: 'live-2',
        customerId: 'eve',
        lines: [{ sku: 'LIVE-OTHER', quantity: 1, unitPrice: 10 }],
      });
      await until(() => seen.some((level) => level.sku === 'LIVE-LAMP' && level.available === 5), 'the change');
      const change = seen.find((level) => level.sku === 'LIVE-LAMP' && level.available === 5);
      // Levels are states, coalesced per SKU (ADR 0032): the reservation's level, or the commit's that superseded it.
      expect(change).toMatchObject({ status: 'LIMITED', at: expect.any(String) });
      expect([1, 0]).toContain(change?.reserved);
      expect(seen.some((level) => level.sku === 'LIVE-OTHER')).toBe(false);

      // A listing is a change like any other: its level carries the name and price, and so does every level after it.
      await sut.client.setListing('LIVE-DESK', { name: 'Standing desk', unitPrice: 420 });
      await until(() => seen.some((level) => level.sku === 'LIVE-DESK' && level.unitPrice === 420), 'the listing');
      await sut.client.checkout({
        checkoutId: 'live-3',
        customerId: 'bob',
        lines: [{ sku: 'LIVE-DESK', quantity: 1, unitPrice: 420 }],
      });
      await until(() => seen.some((level) => level.sku === 'LIVE-DESK' && level.available === 1), 'the sale');
      expect(seen.find((level) => level.sku === 'LIVE-DESK' && level.available === 1)).toMatchObject({
        name: 'Standing desk',
        unitPrice: 420,
        status: 'LIMITED',
      });
    } finally {
      aborter.abort();
      await sut.stop();
    }
  });

  it('given a stream request without SKUs, then it is a 400 naming skus; all SKUs is the operator stream', async () => {
    const sut = await startTestSystem();
    const aborter = new AbortController();
    try {
      const missing = await fetch(`${sut.system.url}/inventory/stream`);
      expect(missing.status).toBe(400);
      expect(await missing.json()).toMatchObject({ issues: [expect.objectContaining({ field: 'skus' })] });
      expect((await fetch(`${sut.system.url}/ops/stock-stream`)).status).toBe(401);

      await sut.client.receiveStock('LIVE-ALL', 3);
      const seen: LiveLevel[] = [];
      const stream = await followLiveStock(`${sut.system.url}/ops/stock-stream`, {
        token: OPERATOR_TOKEN,
        signal: aborter.signal,
        onLevel: (level) => seen.push(level),
      });
      expect(stream.status).toBe(200);
      await until(() => seen.some((level) => level.sku === 'LIVE-ALL'), 'the operator snapshot');
      expect(await sut.client.metricsText()).toContain('stockade_live_streams 1');
    } finally {
      aborter.abort();
      await sut.stop();
    }
  });

  it('given a dashboard still following the stream, when Stockade stops, then the stop does not wait for the client: the stream ends', async () => {
    const sut = await startTestSystem();
    const aborter = new AbortController();
    try {
      await sut.client.receiveStock('LIVE-OPEN', 3);
      const stream = await followLiveStock(`${sut.system.url}/ops/stock-stream`, {
        token: OPERATOR_TOKEN,
        signal: aborter.signal,
        onLevel: () => undefined,
      });
      await sut.stop();
      await expect(stream.done).resolves.toBeUndefined();
    } finally {
      aborter.abort();
    }
  }, 20_000);
});
