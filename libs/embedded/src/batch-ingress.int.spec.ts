import { randomUUID } from 'node:crypto';
import { startTestSystem } from './testing/test-system';

jest.setTimeout(60_000);

describe('batch checkouts in the embedded system', () => {
  it('given 10 units, when 50 checkouts for one each arrive as one NDJSON request, then each is answered 202 and exactly 10 complete, the rest rejected with the reason', async () => {
    const sut = await startTestSystem();
    try {
      const sku = `BATCH-${randomUUID().slice(0, 8)}`;
      await sut.client.receiveStock(sku, 10);
      const ids = Array.from({ length: 50 }, (_, i) => `batch-${sku}-${i}`);
      const body = ids
        .map((checkoutId) =>
          JSON.stringify({ checkoutId, customerId: 'bulk', lines: [{ sku, quantity: 1, unitPrice: 5 }] }),
        )
        .join('\n');

      const response = await fetch(`${sut.system.url}/checkouts`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-ndjson' },
        body,
      });

      expect(response.status).toBe(207);
      const answer = (await response.json()) as { accepted: number; results: { status: number; orderId: string }[] };
      expect(answer.accepted).toBe(50);
      const outcomes = await Promise.all(ids.map((id) => sut.client.waitForTerminal(id, 30_000)));
      expect(outcomes.filter((order) => order.status === 'COMPLETED')).toHaveLength(10);
      const rejected = outcomes.filter((order) => order.status === 'REJECTED');
      expect(rejected).toHaveLength(40);
      expect(rejected[0]?.reasons).toEqual([`${sku}: only 0 available, 1 requested`]);
      expect(await sut.client.stock(sku)).toMatchObject({ onHand: 0, reserved: 0, available: 0 });
    } finally {
      await sut.stop();
    }
  });
});
