import type { CheckoutRequest, OrderView } from '@stockade/contracts';
import { pickInt, seededRandom } from '../client/seeded-random';
import type { StockadeClient } from '../client/stockade-client';

export interface CatalogItem {
  readonly sku: string;
  readonly name: string;
  readonly stock: number;
  readonly unitPrice: number;
}

/** The demo shop: each SKU is listed (name and price, which /shop shows and carts are priced from) and stocked. */
export const DEMO_CATALOG: readonly CatalogItem[] = [
  { sku: 'DESK-LAMP', name: 'Desk lamp', stock: 10, unitPrice: 39 },
  { sku: 'OAK-DESK', name: 'Oak desk', stock: 5, unitPrice: 249 },
  { sku: 'ERGO-CHAIR', name: 'Ergonomic chair', stock: 8, unitPrice: 189 },
  { sku: 'MUG', name: 'Mug', stock: 40, unitPrice: 9.5 },
  { sku: 'POSTER', name: 'Poster', stock: 3, unitPrice: 15 },
];

export interface SkuOutcome {
  readonly sku: string;
  readonly availableAtStart: number;
  /** Units delivered against purchase orders during the sale (with `replenish`). */
  readonly receivedDuringSale: number;
  readonly unitsSold: number;
  readonly unitsInCompletedOrders: number;
  readonly availableAfter: number;
  readonly reservedAfter: number;
}

export interface FlashSaleSummary {
  readonly shoppers: number;
  readonly completed: number;
  readonly rejected: number;
  readonly cancelled: number;
  readonly notTerminal: number;
  readonly skus: readonly SkuOutcome[];
  /** Units sold beyond what was available at the start, summed over SKUs: must be 0. */
  readonly oversold: number;
  readonly sampleRejection?: string;
  readonly elapsedMs: number;
}

export interface FlashSaleOptions {
  readonly shoppers: number;
  readonly seed: number;
  readonly catalog?: readonly CatalogItem[];
  /** Share of shoppers whose card is declined (their reservation must be released). */
  readonly declineRate?: number;
  /** Share of shoppers who cancel right after checking out. */
  readonly cancelRate?: number;
  readonly runId?: string;
  /** Give every SKU a low-stock threshold and a reorder policy first, so the sale raises alerts and purchase orders. */
  readonly replenish?: boolean;
  /** Time between shoppers (0: all at once), so a person can watch the pages drain. */
  readonly paceMs?: number;
}

/** Units received against purchase orders (the supplier's deliveries), read from the operator's event feed. */
async function deliveredAgainstPurchaseOrders(client: StockadeClient, sku: string, since: number): Promise<number> {
  const { events } = await client.events({ sku, type: 'StockReceived', limit: 1000 });
  return events
    .filter((event) => typeof event.data.purchaseOrderId === 'string' && Date.parse(event.recordedAt) >= since)
    .reduce((sum, event) => sum + Number(event.data.quantity), 0);
}

/** A threshold at a third of the stock and a reorder of twice the stock at a quarter: visible on a small catalog. */
export function demoReplenishment(item: CatalogItem) {
  return {
    lowStockThreshold: Math.max(1, Math.ceil(item.stock / 3)),
    reorderPoint: Math.max(1, Math.ceil(item.stock / 4)),
    reorderQuantity: item.stock * 2,
    supplierId: 'DEMO-SUPPLIER',
  };
}

/**
 * Lists and seeds the catalog, then lets every simulated shopper check out at the same moment,
 * waits for every order to reach a terminal state and compares units sold with the stock there was.
 */
export async function runFlashSale(client: StockadeClient, options: FlashSaleOptions): Promise<FlashSaleSummary> {
  const catalog = options.catalog ?? DEMO_CATALOG;
  const random = seededRandom(options.seed);
  const runId = options.runId ?? Date.now().toString(36);

  const before = new Map<string, { onHand: number; available: number }>();
  const seededAt = Date.now();
  for (const item of catalog) {
    await client.setListing(item.sku, { name: item.name, unitPrice: item.unitPrice });
    const view = await client.receiveStock(item.sku, item.stock);
    before.set(item.sku, { onHand: view.onHand - item.stock, available: view.available });
    if (options.replenish) await client.configureStock(item.sku, demoReplenishment(item));
  }

  const checkouts: CheckoutRequest[] = Array.from({ length: options.shoppers }, (_, index) => {
    const lineCount = pickInt(random, 1, Math.min(3, catalog.length));
    const items = [...catalog].sort(() => random() - 0.5).slice(0, lineCount);
    const declined = random() < (options.declineRate ?? 0.1);
    return {
      checkoutId: `demo-${runId}-${index}`,
      customerId: `shopper-${index}`,
      lines: items.map((item) => ({ sku: item.sku, quantity: pickInt(random, 1, 2), unitPrice: item.unitPrice })),
      ...(declined ? { paymentToken: 'decline:card-declined' } : { paymentToken: 'tok_ok' }),
    };
  });
  const cancellers = new Set(checkouts.filter(() => random() < (options.cancelRate ?? 0.05)).map((c) => c.checkoutId));

  const started = Date.now();
  await Promise.all(
    checkouts.map(async (checkout, index) => {
      if (options.paceMs) await new Promise((resolve) => setTimeout(resolve, index * (options.paceMs as number)));
      await client.checkout(checkout);
      if (cancellers.has(checkout.checkoutId)) await client.cancel(checkout.checkoutId).catch(() => undefined); // 409 once completed is fine
    }),
  );
  const orders: OrderView[] = await Promise.all(
    checkouts.map((c) => client.waitForTerminal(c.checkoutId, 120_000, 100)),
  );
  const elapsedMs = Date.now() - started;

  const count = (status: OrderView['status']) => orders.filter((order) => order.status === status).length;
  const skus: SkuOutcome[] = [];
  for (const item of catalog) {
    const after = await client.stock(item.sku);
    const start = before.get(item.sku) as { onHand: number; available: number };
    const receivedDuringSale = options.replenish ? await deliveredAgainstPurchaseOrders(client, item.sku, seededAt) : 0;
    const unitsInCompletedOrders = orders
      .filter((order) => order.status === 'COMPLETED')
      .flatMap((order) => order.lines)
      .filter((line) => line.sku === item.sku)
      .reduce((sum, line) => sum + line.quantity, 0);
    skus.push({
      sku: item.sku,
      availableAtStart: start.available,
      receivedDuringSale,
      unitsSold: start.onHand + item.stock + receivedDuringSale - after.onHand,
      unitsInCompletedOrders,
      availableAfter: after.available,
      reservedAfter: after.reserved,
    });
  }
  return {
    shoppers: options.shoppers,
    completed: count('COMPLETED'),
    rejected: count('REJECTED'),
    cancelled: count('CANCELLED'),
    notTerminal: count('PENDING'),
    skus,
    oversold: skus.reduce(
      (sum, sku) =>
        sum +
        Math.max(0, sku.unitsSold - sku.availableAtStart - sku.receivedDuringSale) +
        Math.max(0, -sku.availableAfter),
      0,
    ),
    sampleRejection: orders.find((order) => order.status === 'REJECTED')?.reasons[0],
    elapsedMs,
  };
}
