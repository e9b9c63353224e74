import type { CatalogList, CatalogQuery, CheckoutRequest, InventoryList, InventoryListQuery, InventoryView, ListingRequest, OrderView, ReplenishmentList, StockSettingsRequest } from '@stockade/contracts';
import type { CartView } from '@stockade/cart-service';
import type { DeadLetterOperations, RebuildOperations, StoryOperations } from '@stockade/operations';
import type { LiveStockLevels } from './live-stock';

/**
 * What the HTTP API needs from the services. In the embedded runner these are the services
 * themselves; in front of distributed services they can be remote clients. Controllers see
 * only these, so the public contract is the same in both modes.
 */
export interface OrdersFacade {
  placeOrder(request: CheckoutRequest): Promise<{ orderId: string }>;
  getOrder(orderId: string): Promise<OrderView | undefined>;
  cancelOrder(orderId: string): Promise<void>;
}

export interface InventoryFacade {
  getStock(sku: string): Promise<InventoryView | undefined>;
  /** With `purchaseOrderId`, goods against that purchase order (received once). */
  receiveStock(sku: string, quantity: number, purchaseOrderId?: string): Promise<InventoryView>;
  adjustStock(sku: string, delta: number, reason: string): Promise<InventoryView>;
  /** Low-stock threshold and reorder policy. */
  configureStock(sku: string, settings: StockSettingsRequest): Promise<InventoryView>;
  /** The SKU's name and price in the catalog (ADR 0022); a repeat of its listing changes nothing. */
  setListing(sku: string, listing: ListingRequest): Promise<InventoryView>;
  /** A page of every SKU's levels in SKU order (operators: what is low, what is out). */
  listStock(query: InventoryListQuery): Promise<InventoryList>;
  /** A page of the listed SKUs in SKU order: name, price, availability (shops). */
  listCatalog(query: CatalogQuery): Promise<CatalogList>;
  /** Alerts, open purchase orders and settings of every SKU that has any. */
  listReplenishment(): Promise<ReplenishmentList>;
}

export interface CartsFacade {
  create(request: { cartId?: string; customerId?: string }): Promise<CartView>;
  get(cartId: string): Promise<CartView>;
  /** Only the quantity: the price is the catalog's. */
  setItem(cartId: string, sku: string, change: { quantity: number }): Promise<CartView>;
  removeItem(cartId: string, sku: string): Promise<CartView>;
  checkout(cartId: string, paymentToken?: string): Promise<{ orderId: string }>;
}

/** Readiness as one check (the gateway's view of its upstreams; tests): see HealthRegistry for the per-dependency form. */
export interface ReadinessProbe {
  check(): Promise<{ ready: boolean; details: Record<string, string> }>;
}

/** Prometheus exposition for GET /metrics. */
export interface MetricsSource {
  readonly contentType: string;
  render(): Promise<string>;
}

/** A token bucket: `perSecond` requests a second on average, bursts of up to `burst`. */
export interface RateLimit {
  readonly perSecond: number;
  readonly burst: number;
}

export interface AccessPolicy {
  /** Required as `Authorization: Bearer <token>` on operator endpoints (stock receipts, adjustments). */
  readonly operatorToken: string;
  /** When set, every other endpoint (except /health/live, the pages and /docs) needs this token or the operator's. */
  readonly apiToken?: string;
  /**
   * Upstream tokens, each of one channel (`web`, `pos`…): it may place checkouts and read and cancel
   * orders, only for customers of its channel (customer ids `<channel>:…`), and nothing operator.
   * When any is set, the shopper endpoints need a token too.
   */
  readonly channelTokens?: ReadonlyMap<string, string>;
  /**
   * Every configured sales channel, those that publish on Kafka only (STOCKADE_CHANNELS) included:
   * their prefixes are no one else's, so a caller without a channel cannot claim `market:chk-1`
   * before the `market` channel's own checkout arrives on its topic (ADR 0021, ADR 0023).
   */
  readonly salesChannels?: readonly string[];
  /** Read-only monitoring: GET /metrics and readiness, nothing else. */
  readonly metricsToken?: string;
  /**
   * The process listens beyond loopback: /metrics and readiness need the operator's or the
   * metrics token even when the shopper endpoints are open.
   */
  readonly exposed?: boolean;
  /**
   * Per caller, checked before the body is read: `token` for each API, upstream or metrics token
   * (a bucket per role or channel), `anonymous` for each address without a token. Operators are
   * not limited; a kind of caller without a limit here is not limited either.
   */
  readonly rateLimits?: { readonly token?: RateLimit; readonly anonymous?: RateLimit };
}

/** A service run alone serves only its own routes: leave the other facades out. */
export interface HttpApiDependencies {
  readonly orders?: OrdersFacade;
  readonly inventory?: InventoryFacade;
  readonly carts?: CartsFacade;
  readonly readiness: ReadinessProbe;
  readonly access: AccessPolicy;
  readonly metrics?: MetricsSource;
  readonly limits?: Partial<HttpLimits>;
  /** The operator surface (`/ops/*`), where the deployment can answer it. */
  readonly operations?: StoryOperations;
  /** Its dead-letter routes, where the deployment can read its dead-letter topics. */
  readonly deadLetters?: DeadLetterOperations;
  /** Its read-model rebuilds, where the deployment can read the store and publish to the bus. */
  readonly rebuilds?: RebuildOperations;
  /** Live stock streams, where the deployment consumes inventory.stock-levels. */
  readonly liveStock?: LiveStockLevels;
}

/** Injection tokens: a service module provides the facade of its own routes, the shell the rest. */
export const ORDERS_FACADE = Symbol('OrdersFacade');
export const INVENTORY_FACADE = Symbol('InventoryFacade');
export const CARTS_FACADE = Symbol('CartsFacade');
export const ACCESS_POLICY = Symbol('AccessPolicy');
export const METRICS_SOURCE = Symbol('MetricsSource');
/** The operator surface (`/ops/*`): StoryOperations from @stockade/operations. */
export const OPERATIONS_FACADE = Symbol('StoryOperations');
/** The dead-letter routes of the operator surface (`/ops/dlq*`): DeadLetterOperations. */
export const DEAD_LETTERS_FACADE = Symbol('DeadLetterOperations');
/** The read-model rebuilds of the operator surface (`/ops/rebuild*`): RebuildOperations. */
export const REBUILD_FACADE = Symbol('RebuildOperations');
export const HTTP_LIMITS = Symbol('HttpLimits');

/** Limits the routes enforce themselves (body sizes are the adapter's). */
export interface HttpLimits {
  /** Most checkouts in one batch POST /checkouts. */
  readonly maxCheckoutsPerRequest: number;
}
