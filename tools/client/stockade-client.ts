import type {
  CatalogList,
  CheckoutRequest,
  InventoryList,
  InventoryView,
  ListingRequest,
  OrderView,
  ReplenishmentList,
  StockSettingsRequest,
} from '@stockade/contracts';

/** A small typed client for the public HTTP API, used by the demo, the benchmarks and e2e tests. */
export class StockadeClient {
  constructor(
    readonly baseUrl: string,
    private readonly operatorToken?: string,
    /** The shopper calls' token (STOCKADE_API_TOKEN or an upstream token) where the server is closed. */
    private readonly shopperToken?: string,
  ) {}

  /** Operator: goods arrived; with `purchaseOrderId`, against that purchase order (received once). */
  async receiveStock(sku: string, quantity: number, purchaseOrderId?: string): Promise<InventoryView> {
    return this.send(
      'POST',
      `/inventory/${encodeURIComponent(sku)}/receipts`,
      purchaseOrderId === undefined ? { quantity } : { quantity, purchaseOrderId },
      this.operatorToken,
    );
  }

  /** Operator: low-stock threshold and reorder policy. */
  async configureStock(sku: string, settings: StockSettingsRequest): Promise<InventoryView> {
    return this.send('PUT', `/inventory/${encodeURIComponent(sku)}/settings`, settings, this.operatorToken);
  }

  /** Operator: what the SKU is sold as (its name and price in the catalog); carts are priced from it. */
  async setListing(sku: string, listing: ListingRequest): Promise<InventoryView> {
    return this.send('PUT', `/catalog/${encodeURIComponent(sku)}`, listing, this.operatorToken);
  }

  /** The catalog: a page of the listed SKUs with name, price and availability. */
  async catalog(query: { after?: string; limit?: number } = {}): Promise<CatalogList> {
    const search = new URLSearchParams(
      Object.entries(query).map(([name, value]): [string, string] => [name, String(value)]),
    );
    return this.send('GET', `/catalog?${search}`);
  }

  /** Operator: raised alerts, open purchase orders and their settings. */
  async replenishment(): Promise<ReplenishmentList> {
    return this.send('GET', '/inventory/replenishment', undefined, this.operatorToken);
  }

  /** Operator: a page of the event feed (`GET /ops/events` as JSON), from the beginning. */
  async events(query: {
    sku?: string;
    type?: string;
    order?: string;
    limit?: number;
  }): Promise<{ events: { type: string; recordedAt: string; data: Record<string, unknown> }[] }> {
    const search = new URLSearchParams(
      Object.entries(query).map(([name, value]): [string, string] => [name, String(value)]),
    );
    return this.send('GET', `/ops/events?${search}`, undefined, this.operatorToken);
  }

  /** Operator: the dead letters of every dead-letter topic, read without consuming them. */
  async deadLetters(): Promise<{
    deadLetters: readonly {
      topic: string;
      originalTopic: string;
      key: string | null;
      error: string;
      attempts?: number;
    }[];
  }> {
    return this.send('GET', '/ops/dlq', undefined, this.operatorToken);
  }

  /** Operator: the invariant check (oversold, leaked reservations, sagas without an outcome). */
  async check(): Promise<{ ok: boolean; skus: number; orders: number; findings: readonly unknown[] }> {
    return this.send('POST', '/ops/check', {}, this.operatorToken);
  }

  async checkout(request: CheckoutRequest): Promise<{ orderId: string }> {
    return this.send('POST', '/checkouts', request, this.shopperToken);
  }

  async order(orderId: string): Promise<OrderView> {
    return this.send('GET', `/orders/${encodeURIComponent(orderId)}`, undefined, this.shopperToken);
  }

  async stock(sku: string): Promise<InventoryView> {
    return this.send('GET', `/inventory/${encodeURIComponent(sku)}`, undefined, this.shopperToken);
  }

  /** Operator: a page of every SKU's levels, e.g. `{ status: 'LIMITED,OUT_OF_STOCK' }`. */
  async listStock(query: { status?: string; after?: string; limit?: number } = {}): Promise<InventoryList> {
    const search = new URLSearchParams(
      Object.entries(query).map(([name, value]): [string, string] => [name, String(value)]),
    );
    return this.send('GET', `/inventory?${search}`, undefined, this.operatorToken);
  }

  async cancel(orderId: string): Promise<void> {
    await this.send('POST', `/orders/${encodeURIComponent(orderId)}/cancel`, undefined, this.shopperToken);
  }

  /** Polls until the order leaves PENDING; gives up after `timeoutMs`. */
  async waitForTerminal(orderId: string, timeoutMs = 60_000, pollMs = 50): Promise<OrderView> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const order = await this.order(orderId).catch(() => undefined);
      if (order && order.status !== 'PENDING') return order;
      if (Date.now() > deadline)
        throw new Error(`order ${orderId} still ${order?.status ?? 'unknown'} after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }

  /** Prometheus text of GET /metrics, read with the operator token (needed once the server is closed). */
  async metricsText(): Promise<string> {
    const response = await fetch(`${this.baseUrl}/metrics`, {
      headers: this.operatorToken ? { authorization: `Bearer ${this.operatorToken}` } : {},
    });
    return response.text();
  }

  /** One call; a 429 is waited out (its Retry-After) and retried a few times, as a well-behaved client does. */
  private async send<T>(method: string, path: string, body?: unknown, token?: string): Promise<T> {
    const headers: Record<string, string> = {};
    // Every state-changing call says JSON, a body or not: the server refuses one that does not (CSRF-safe rule).
    if (method !== 'GET') headers['content-type'] = 'application/json';
    if (token) headers.authorization = `Bearer ${token}`;
    for (let attempt = 1; ; attempt++) {
      const response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers,
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const text = await response.text();
      if (response.status === 429 && attempt < 5) {
        await new Promise((resolve) => setTimeout(resolve, 1_000 * Number(response.headers.get('retry-after') ?? 1)));
        continue;
      }
      if (!response.ok) throw new Error(`${method} ${path} → ${response.status} ${text}`);
      return (text ? JSON.parse(text) : undefined) as T;
    }
  }
}
