/**
 * What every HTTP app's shell needs: the access policy, readiness, metrics, limits. What the routes
 * need from a context is that context's facade (InventoryFacade in @stockade/inventory-nest…).
 */

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

/** Injection tokens the shell provides (a context's facade token is its own: ORDERS_FACADE in @stockade/ordering-nest, and so on). */
export const ACCESS_POLICY = Symbol('AccessPolicy');
export const METRICS_SOURCE = Symbol('MetricsSource');
export const HTTP_LIMITS = Symbol('HttpLimits');

/** Limits the routes enforce themselves (body sizes are the adapter's). */
export interface HttpLimits {
  /** Most checkouts in one batch POST /checkouts. */
  readonly maxCheckoutsPerRequest: number;
}
