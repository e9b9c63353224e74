import type { StockadeClient } from '../../client/stockade-client';
import type { StockReading } from '../observation';

/** Receives each SKU's stock through the operator API, `concurrency` receipts at a time. */
export async function receiveStock(
  client: StockadeClient,
  stock: ReadonlyMap<string, number>,
  concurrency = 16,
): Promise<void> {
  const entries = [...stock.entries()];
  let next = 0;
  const receiver = async () => {
    while (next < entries.length) {
      const [sku, quantity] = entries[next++] as [string, number];
      if (quantity > 0) await client.receiveStock(sku, quantity);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, receiver));
}

/** Every SKU's levels through the operator's paged list, for the SKUs asked about. */
export async function readStock(client: StockadeClient, skus: readonly string[]): Promise<Map<string, StockReading>> {
  const wanted = new Set(skus);
  const readings = new Map<string, StockReading>();
  let after: string | undefined;
  do {
    const page = await client.listStock({ limit: 1000, ...(after ? { after } : {}) });
    for (const item of page.items)
      if (wanted.has(item.sku)) readings.set(item.sku, { onHand: item.onHand, reserved: item.reserved });
    after = page.next;
  } while (after);
  return readings;
}
