import { context, propagation } from '@opentelemetry/api';
import { UpstreamRefusal } from '@stockade/api';
import type { CartsFacade } from '@stockade/cart-nest';
import type { InventoryFacade } from '@stockade/inventory-nest';
import type { OrdersFacade } from '@stockade/ordering-nest';
import type {
  CatalogList,
  CheckoutRequest,
  InventoryList,
  InventoryView,
  OrderView,
  ReplenishmentList,
} from '@stockade/contracts';
import type { CartView } from '@stockade/cart-service';
import { NotFoundError, StockadeError } from '@stockade/kernel';

/**
 * The API facades as HTTP clients of the service processes, for the gateway in front of the
 * distributed services. A service's refusal (a 4xx) reaches the caller as the service gave it
 * (status, body, Retry-After); only a service that does not answer, or fails (5xx), is an outage (503).
 */
export class UpstreamClient {
  private inFlight = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly baseUrl: string,
    private readonly operatorToken: string,
    private readonly timeoutMs = 10_000,
    /**
     * Calls in flight to this upstream at once, the rest wait their turn: fetch opens a connection
     * per concurrent call, and the service caps connections per address
     * (STOCKADE_MAX_CONNECTIONS_PER_ADDRESS, default 256), so the gateway stays well under it.
     */
    private readonly maxInFlight = 128,
  ) {}

  async call<T>(method: string, path: string, body?: unknown): Promise<T | undefined> {
    await this.turn();
    try {
      return await this.send<T>(method, path, body);
    } finally {
      // The slot passes straight to the next waiting call, so no newcomer slips in between.
      const next = this.waiting.shift();
      if (next) next();
      else this.inFlight--;
    }
  }

  private async turn(): Promise<void> {
    if (this.inFlight < this.maxInFlight) this.inFlight++;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  private async send<T>(method: string, path: string, body?: unknown): Promise<T | undefined> {
    // Every call says JSON, a body or not: the services refuse a state-changing request that does not (the CSRF-safe rule).
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.operatorToken}`,
      ...(method === 'GET' ? {} : { 'content-type': 'application/json' }),
    };
    // The caller's trace goes on to the service (traceparent, tracestate), so it does not end at the gateway.
    propagation.inject(context.active(), headers);
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers,
        signal: AbortSignal.timeout(this.timeoutMs),
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (error) {
      throw new StockadeError('UNAVAILABLE', `upstream ${this.baseUrl} did not answer`, {
        retriable: true,
        cause: error,
      });
    }
    const text = await response.text();
    if (response.ok) return (text ? JSON.parse(text) : undefined) as T | undefined;
    if (response.status === 404) return undefined;
    // The service's refusal is the caller's answer, as the service gave it. A 401 is not: the gateway
    // checked the caller itself, so it means the service does not take the gateway's own token.
    if (response.status >= 400 && response.status < 500 && response.status !== 401) {
      throw new UpstreamRefusal(
        response.status,
        refusalBody(text, response.status),
        response.headers.get('retry-after') ?? undefined,
      );
    }
    const reason = response.status === 401 ? "refused the gateway's operator token" : `answered ${response.status}`;
    throw new StockadeError('UNAVAILABLE', `upstream ${this.baseUrl} ${reason}`, { retriable: true });
  }
}

/** A service answers errors as `{ error, message, issues? }`; anything else in front of it (a proxy's page) becomes one. */
function refusalBody(text: string, status: number): Record<string, unknown> {
  try {
    const body: unknown = JSON.parse(text);
    if (body !== null && typeof body === 'object' && !Array.isArray(body)) return body as Record<string, unknown>;
  } catch {
    // Not JSON: described below.
  }
  return { error: 'UPSTREAM_REFUSED', message: `upstream answered ${status}` };
}

const path = (...parts: string[]) => parts.map(encodeURIComponent).join('/');

export function remoteOrders(client: UpstreamClient): OrdersFacade {
  return {
    placeOrder: async (request: CheckoutRequest) =>
      (await client.call<{ orderId: string }>('POST', '/checkouts', request)) as { orderId: string },
    getOrder: (orderId) => client.call<OrderView>('GET', `/orders/${path(orderId)}`),
    cancelOrder: async (orderId) => {
      const accepted = await client.call('POST', `/orders/${path(orderId)}/cancel`);
      if (accepted === undefined) throw new NotFoundError('order', orderId);
    },
  };
}

export function remoteInventory(client: UpstreamClient): InventoryFacade {
  const levels = async (call: Promise<InventoryView | undefined>, sku: string) => {
    const view = await call;
    if (!view) throw new NotFoundError('sku', sku);
    return view;
  };
  return {
    getStock: (sku) => client.call<InventoryView>('GET', `/inventory/${path(sku)}`),
    receiveStock: (sku, quantity, purchaseOrderId) =>
      levels(
        client.call(
          'POST',
          `/inventory/${path(sku)}/receipts`,
          purchaseOrderId === undefined ? { quantity } : { quantity, purchaseOrderId },
        ),
        sku,
      ),
    configureStock: (sku, settings) => levels(client.call('PUT', `/inventory/${path(sku)}/settings`, settings), sku),
    setListing: (sku, listing) => levels(client.call('PUT', `/catalog/${path(sku)}`, listing), sku),
    listReplenishment: async () =>
      (await client.call<ReplenishmentList>('GET', '/inventory/replenishment')) ?? { items: [] },
    adjustStock: (sku, delta, reason) =>
      levels(client.call('POST', `/inventory/${path(sku)}/adjustments`, { delta, reason }), sku),
    listStock: async (query) => {
      const search = new URLSearchParams({ limit: String(query.limit) });
      if (query.status) search.set('status', query.status.join(','));
      if (query.after !== undefined) search.set('after', query.after);
      return (await client.call<InventoryList>('GET', `/inventory?${search}`)) ?? { items: [] };
    },
    listCatalog: async (query) => {
      const search = new URLSearchParams({ limit: String(query.limit) });
      if (query.after !== undefined) search.set('after', query.after);
      return (await client.call<CatalogList>('GET', `/catalog?${search}`)) ?? { items: [] };
    },
  };
}

export function remoteCarts(client: UpstreamClient): CartsFacade {
  const cart = async (call: Promise<CartView | undefined>, cartId: string) => {
    const view = await call;
    if (!view) throw new NotFoundError('cart', cartId);
    return view;
  };
  return {
    create: (request) => cart(client.call('POST', '/carts', request), request.cartId ?? 'new'),
    get: (cartId) => cart(client.call('GET', `/carts/${path(cartId)}`), cartId),
    setItem: (cartId, sku, change) =>
      cart(client.call('PUT', `/carts/${path(cartId)}/items/${path(sku)}`, change), cartId),
    removeItem: (cartId, sku) => cart(client.call('DELETE', `/carts/${path(cartId)}/items/${path(sku)}`), cartId),
    checkout: async (cartId, paymentToken) => {
      const accepted = await client.call<{ orderId: string }>(
        'POST',
        `/carts/${path(cartId)}/checkout`,
        paymentToken ? { paymentToken } : {},
      );
      if (!accepted) throw new NotFoundError('cart', cartId);
      return accepted;
    },
  };
}
