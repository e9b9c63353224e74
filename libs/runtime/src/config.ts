import { randomBytes } from 'node:crypto';
import { accessSync, constants, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { z } from 'zod';
import { trustedProxyEntryIssue } from '@stockade/api';
import { CHANNEL_NAME, DEFAULT_LIMITED_THRESHOLD, TOPICS } from '@stockade/contracts';
import { StockadeError } from '@stockade/kernel';

/**
 * Configuration comes from environment variables only (12-factor), validated at start:
 * a bad or missing value stops the process with a message naming the variable.
 * The README's configuration table lists the same variables; a test keeps them in step.
 */
const int = (min: number, max: number) => z.coerce.number().int('must be a whole number').min(min).max(max);
const flag = z.enum(['true', 'false', '1', '0']).transform((value) => value === 'true' || value === '1');

function isReadableFile(path: string): boolean {
  try {
    accessSync(path, constants.R_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

const CONFIG_FIELDS = {
  PORT: int(0, 65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  STOCKADE_DATA_DIR: z.string().min(1).default('./data'),
  /** The message log file the services share when run as separate processes on one host. */
  STOCKADE_BUS_FILE: z.string().min(1).optional(),
  STOCKADE_OPERATOR_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  STOCKADE_API_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /**
   * Upstream tokens, one per channel: `web=<token>,pos=<token>`. Each may place checkouts and read
   * or cancel orders only for its own customers (`<channel>:…`); none can do anything operator.
   * A channel may have several tokens (a rotation); two channels never share one.
   */
  STOCKADE_UPSTREAM_TOKENS: z
    .string()
    .default('')
    .transform((value, context) => {
      const tokens = new Map<string, string>();
      for (const pair of value
        .split(',')
        .map((entry) => entry.trim())
        .filter(Boolean)) {
        const match = /^([a-z][a-z0-9-]{0,31})=(\S{16,})$/.exec(pair);
        if (!match) {
          context.addIssue({
            code: 'custom',
            message: 'each entry is <channel>=<token>: a lower-case channel name and a token of at least 16 characters',
          });
          return z.NEVER;
        }
        const [, channel, token] = match as unknown as [string, string, string];
        const holder = tokens.get(token);
        if (holder !== undefined && holder !== channel) {
          context.addIssue({
            code: 'custom',
            message: `channels ${holder} and ${channel} share a token: each channel needs its own`,
          });
          return z.NEVER;
        }
        tokens.set(token, channel);
      }
      return tokens;
    }),
  /** Read-only monitoring token: GET /metrics and /health/ready, nothing else (Prometheus, a load balancer). */
  STOCKADE_METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /**
   * Listen beyond loopback (HOST) without STOCKADE_API_TOKEN or STOCKADE_UPSTREAM_TOKENS: the
   * shopper endpoints open to anyone who reaches the port. Off: such a process refuses to start.
   */
  STOCKADE_ALLOW_OPEN_ACCESS: flag.default(false),
  /** Requests per second per token (an API, upstream or metrics token: a bucket per role or channel); 0 turns every rate limit off. Operators are not limited. */
  STOCKADE_RATE_LIMIT_PER_SECOND: int(0, 1_000_000).default(1_000),
  /** Burst above the rate a token may send at once. */
  STOCKADE_RATE_LIMIT_BURST: int(1, 1_000_000).default(2_000),
  /** Requests per second per address of a caller without a token (pages, docs and open routes included); 0 turns it off. */
  STOCKADE_ANONYMOUS_RATE_LIMIT_PER_SECOND: int(0, 1_000_000).default(20),
  STOCKADE_ANONYMOUS_RATE_LIMIT_BURST: int(1, 1_000_000).default(40),
  /**
   * Proxies (IPs, CIDR ranges, or loopback / linklocal / uniquelocal) whose X-Forwarded-For names
   * the client: behind them the client's address is the caller's; from anyone else the header is
   * ignored. Default: none.
   */
  STOCKADE_TRUSTED_PROXIES: z
    .string()
    .default('')
    .transform((value, context) => {
      const entries = value
        .split(',')
        .map((entry) => entry.trim())
        .filter(Boolean);
      for (const issue of entries.map(trustedProxyEntryIssue))
        if (issue) context.addIssue({ code: 'custom', message: issue });
      return entries;
    }),
  /** Open connections one address may hold (trusted proxies exempt); more are closed at accept. 0 turns the cap off. */
  STOCKADE_MAX_CONNECTIONS_PER_ADDRESS: int(0, 1_000_000).default(256),
  /**
   * Sales channels that publish checkouts on Kafka only (no HTTP token), comma-separated: with the
   * channels of STOCKADE_UPSTREAM_TOKENS, each gets its own topic `checkout.requested.<channel>`
   * that only its principal may write (broker ACLs, ADR 0023).
   */
  STOCKADE_CHANNELS: z
    .string()
    .default('')
    .transform((value) =>
      value
        .split(',')
        .map((name) => name.trim())
        .filter(Boolean),
    )
    .refine(
      (names) => names.every((name) => CHANNEL_NAME.test(name)),
      'each channel is a lower-case name: a letter, then letters, digits or -, at most 32',
    ),
  STOCKADE_RESERVATION_TTL_MS: int(1_000, 7 * 24 * 3600 * 1000).default(15 * 60 * 1000),
  STOCKADE_EXPIRY_CHECK_INTERVAL_MS: int(10, 3_600_000).default(1_000),
  STOCKADE_PAYMENT_TIMEOUT_MS: int(10, 600_000).default(10_000),
  /**
   * How long the order service waits for the gateway as it takes inventory's StockReserved in, to
   * write the reservation and the decision in one append (ADR 0033). A slower answer: the reservation
   * is written alone and an AuthorizePayment command on payment.commands asks again. 0: always the command.
   */
  STOCKADE_PAYMENT_INLINE_WAIT_MS: int(0, 10_000).default(200),
  /**
   * The payment simulator answers `delay:<ms>` tokens after that delay. Off by default (ADR 0021): a
   * caller must not choose how long the server waits; fault tests switch it on for their processes.
   */
  STOCKADE_PAYMENT_SIMULATOR_SLOW_TOKENS: flag.default(false),
  STOCKADE_LIMITED_THRESHOLD: int(0, 1_000_000).default(DEFAULT_LIMITED_THRESHOLD),
  /**
   * Inventory: run the simulated supplier, which delivers every purchase order on inventory.reorders.
   * Unset: on in the embedded runner (the demo), off for inventory-service run alone, where a real
   * purchasing system would otherwise get its orders delivered twice (supplierSimulatorOn).
   */
  STOCKADE_SUPPLIER_SIMULATOR: flag.optional(),
  /** Simulated supplier: how long after the purchase order its goods arrive. */
  STOCKADE_SUPPLIER_DELAY_MS: int(0, 86_400_000).default(5_000),
  /** Simulated supplier: share of purchase orders (0..1) delivered only in part, chosen by order id. */
  STOCKADE_SUPPLIER_PARTIAL_RATE: z.coerce.number('must be a number').min(0).max(1).default(0.25),
  /** Simulated supplier: part of the ordered quantity (0..1) a partial delivery brings, at least one unit. */
  STOCKADE_SUPPLIER_PARTIAL_FRACTION: z.coerce.number('must be a number').min(0).max(1).default(0.5),
  /** Inventory: aggregate states kept in memory per kind (stock, reservation); set it to the SKUs that sell, or more. */
  STOCKADE_MAX_CACHED_STREAMS: int(100, 100_000_000).default(100_000),
  /** Inventory: a SKU's stream gets a snapshot every this many events (ADR 14); 0 turns snapshots off. */
  STOCKADE_SNAPSHOT_INTERVAL: int(0, 1_000_000).default(100),
  /** SKUs that get a `stockade_stock_available{sku}` series (comma-separated, at most 1,000): per-SKU series are opt-in. */
  STOCKADE_METRICS_SKUS: z
    .string()
    .default('')
    .transform((value) =>
      value
        .split(',')
        .map((sku) => sku.trim())
        .filter(Boolean),
    )
    .refine((skus) => skus.length <= 1_000, 'at most 1,000 SKUs: per-SKU series are for the few an operator watches'),
  STOCKADE_BODY_LIMIT_BYTES: int(1_024, 10 * 1024 * 1024).default(64 * 1024),
  /** Longest a client may take to send a whole request (headers and body): a slow-loris client is cut off (408) after this. */
  STOCKADE_REQUEST_TIMEOUT_MS: int(500, 600_000).default(30_000),
  /** Batch ingress: most checkouts in one POST /checkouts (a JSON array or NDJSON). */
  STOCKADE_MAX_CHECKOUTS_PER_REQUEST: int(1, 100_000).default(1_000),
  /** Batch ingress: largest NDJSON body (JSON bodies, arrays included, keep STOCKADE_BODY_LIMIT_BYTES). */
  STOCKADE_BATCH_BODY_LIMIT_BYTES: int(1_024, 256 * 1024 * 1024).default(4 * 1024 * 1024),
  /** Back-pressure: past this many orders accepted and not yet terminal, POST /checkouts answers 503 with Retry-After. */
  STOCKADE_MAX_ORDERS_IN_FLIGHT: int(1, 10_000_000).default(5_000),
  /**
   * This process among its service's instances: names the consumer groups every instance needs for
   * itself (order outcomes, live stock), so a restart rejoins its group instead of leaving one
   * behind. Default: the host name; set it when several instances of a service share a host.
   */
  STOCKADE_INSTANCE_ID: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, 'letters, digits and . _ - only, at most 100')
    .default(
      () =>
        hostname()
          .replace(/[^A-Za-z0-9._-]/g, '-')
          .slice(0, 100) || 'stockade',
    ),
  /** Live stock streams (GET /inventory/stream, /ops/stock-stream) one process serves at once; more get 503. */
  STOCKADE_MAX_LIVE_STREAMS: int(1, 1_000_000).default(10_000),
  /** Live streams one caller (a token's role or channel, or an address without a token) may hold; operators are not capped. */
  STOCKADE_MAX_LIVE_STREAMS_PER_CALLER: int(1, 1_000_000).default(20),
  /** Of STOCKADE_MAX_LIVE_STREAMS, how many only operators may open, so the dashboard opens when callers took the rest. */
  STOCKADE_OPERATOR_LIVE_STREAM_RESERVE: int(0, 1_000_000).default(10),
  /** Longest a graceful stop (SIGTERM) may take: in-flight work, leaving the consumer groups, flushing; then the process exits anyway. */
  STOCKADE_SHUTDOWN_TIMEOUT_MS: int(1_000, 600_000).default(15_000),
  STOCKADE_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  STOCKADE_QUIET: flag.default(false),
  /**
   * Embedded mode: run the inventory node on a worker thread, so it has the second core to itself.
   * Unset: on when the compiled worker exists (running from dist), off under Jest (TypeScript sources).
   */
  STOCKADE_INVENTORY_THREAD: flag.optional(),
  /**
   * Embedded mode: the services' internal commands and events (inventory.commands, inventory.events,
   * payment.commands) go straight from the relay that publishes them to their consumer, in memory
   * and across the inventory thread, instead of through messages.db (ADR 0031). The event stores
   * stay the durable record; false writes them to the message log as before.
   */
  STOCKADE_EMBEDDED_HANDOFF: flag.default(true),
  /**
   * Stock levels are states: inventory publishes at most one per SKU in this interval, the latest,
   * instead of one per relay page (0: per page). Live pages and cart badges lag by up to this much;
   * every reader of inventory.stock-levels does a fraction of the work under load.
   */
  STOCKADE_STOCK_LEVEL_INTERVAL_MS: int(0, 10_000).default(100),
  /**
   * The inventory thread's V8 heap limits (worker `resourceLimits`), so a leak there ends the
   * process (the thread's crash exits it) instead of growing into the host's memory. The old
   * generation holds the cached stock and reservation states (STOCKADE_MAX_CACHED_STREAMS, about
   * 300 bytes a SKU); the young one is V8's own default on 64-bit.
   */
  STOCKADE_INVENTORY_THREAD_MAX_OLD_GENERATION_MB: int(64, 65_536).default(1_024),
  STOCKADE_INVENTORY_THREAD_MAX_YOUNG_GENERATION_MB: int(2, 1_024).default(48),
  /**
   * SQLite's `synchronous` for every file Stockade opens (event stores, message log): `normal`
   * (WAL: a commit survives a process crash, the last ones may be lost on power loss) or `full`
   * (every commit waits for its fsync: survives power loss too).
   */
  STOCKADE_SQLITE_SYNCHRONOUS: z.enum(['normal', 'full']).default('normal'),

  // Distributed mode: where events, messages and carts live (defaults: the embedded choices).
  STOCKADE_EVENT_STORE: z.enum(['sqlite', 'postgres', 'kurrentdb']).default('sqlite'),
  STOCKADE_POSTGRES_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  /** Schema for this service's events (default: the service name), so services can share a database. */
  STOCKADE_POSTGRES_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,49}$/, 'must be a lower-case SQL identifier')
    .optional(),
  /** OTLP/HTTP collector base URL (the OpenTelemetry SDK's own variable): traces are exported when set, off otherwise. */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.string().url().optional(),
  KURRENTDB_URL: z
    .string()
    .regex(/^(kurrentdb|esdb|kdb)(\+discover)?:\/\//, 'must be a kurrentdb:// connection string')
    .optional(),
  STOCKADE_BUS: z.enum(['sqlite', 'kafka']).default('sqlite'),
  KAFKA_BROKERS: z
    .string()
    .regex(/^[^,\s]+:\d+(,[^,\s]+:\d+)*$/, 'must be host:port[,host:port…]')
    .optional(),
  KAFKA_CLIENT_ID: z.string().min(1).optional(),
  KAFKA_SSL: flag.default(false),
  /** PEM file of the CA that signed the brokers' certificates, for a private CA; implies TLS. */
  KAFKA_SSL_CA_FILE: z.string().min(1).refine(isReadableFile, 'must be a readable PEM file').optional(),
  KAFKA_SASL_MECHANISM: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']).optional(),
  KAFKA_SASL_USERNAME: z.string().min(1).optional(),
  KAFKA_SASL_PASSWORD: z.string().min(1).optional(),
  KAFKA_TOPIC_PARTITIONS: int(1, 1000).default(8),
  /**
   * Inventory shards (ADR 0020): SKUs are split over this many partitions of inventory.commands, and
   * each inventory instance writes the shards its consumer group gives it. 1 (default): one inventory
   * instance decides everything. Above 1: Kafka and PostgreSQL, the same value in the inventory and
   * order services, and inventory.commands with exactly this many partitions (checked at start).
   */
  STOCKADE_INVENTORY_SHARDS: int(1, 1024).default(1),
  /**
   * With inventory shards: how long an order whose lines live on several shards waits for the
   * last part's answer before it is rejected and its held parts released (ADR 0020). Longer than
   * a failover (session timeout plus a rebalance), so a crash delays orders rather than rejects them.
   */
  STOCKADE_RESERVATION_ANSWER_TIMEOUT_MS: int(1_000, 3_600_000).default(30_000),
  /**
   * A consumer that stops heartbeating (kill -9, a long pause) is dropped after this long, and its
   * partitions go to the others (or to its restarted self). Brokers refuse less than their
   * group.min.session.timeout.ms (6 000 by default).
   */
  KAFKA_SESSION_TIMEOUT_MS: int(1_000, 300_000).default(10_000),
  /** How often consumers heartbeat; under a third of the session timeout. */
  KAFKA_HEARTBEAT_INTERVAL_MS: int(100, 100_000).default(1_000),
  /** Copies of each partition for the topics Stockade creates (default: the broker's default.replication.factor). */
  KAFKA_TOPIC_REPLICATION_FACTOR: int(1, 100).optional(),
  /** How long dead letters stay for an operator to look at and replay (default 30 days; -1 keeps them forever). */
  KAFKA_DLQ_RETENTION_MS: int(-1, Number.MAX_SAFE_INTEGER)
    .refine((value) => value === -1 || value >= 60_000, 'must be -1 (forever) or at least 60000')
    .default(30 * 24 * 3600 * 1000),
  /** Prepended to every topic name, e.g. `prod.` → `prod.checkout.requested`. */
  STOCKADE_TOPIC_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9._-]*$/, 'may contain letters, digits and . _ - only')
    .default(''),
  /**
   * Prepended to every consumer group id, e.g. `prod.` → `prod.order-service` (default: the topic
   * prefix). Groups are cluster-wide: deployments sharing a cluster must not share groups.
   */
  STOCKADE_GROUP_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9._-]*$/, 'may contain letters, digits and . _ - only')
    .optional(),
  /**
   * Explicit names for some topics, `logical=physical` pairs separated by commas, e.g.
   * `checkout.requested=shop.checkouts,order.events=shop.order-outcomes` (wins over the prefix).
   */
  STOCKADE_TOPIC_NAMES: z
    .string()
    .default('')
    .transform((value, context) => {
      const names: Record<string, string> = {};
      for (const pair of value
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean)) {
        const [logical, physical, ...rest] = pair.split('=');
        if (!logical || !physical || rest.length > 0 || !/^[A-Za-z0-9._-]+$/.test(physical)) {
          context.addIssue({
            code: 'custom',
            message: `"${pair}" must be logical=physical, the name made of letters, digits and . _ -`,
          });
        } else if (!(Object.values(TOPICS) as string[]).includes(logical)) {
          context.addIssue({
            code: 'custom',
            message: `"${logical}" is not a Stockade topic (${Object.values(TOPICS).join(', ')})`,
          });
        } else names[logical] = physical;
      }
      return names;
    }),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// URL')
    .optional(),
  STOCKADE_CART_TTL_SECONDS: int(60, 90 * 24 * 3600).default(7 * 24 * 3600),
  /** The HTTP gateway's upstreams (apps/gateway). */
  INVENTORY_SERVICE_URL: z.url().optional(),
  /** Gateway: the PostgreSQL schemas of the services' event stores, read by the operator surface (/ops) when STOCKADE_POSTGRES_URL is set. */
  STOCKADE_OPS_ORDERING_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,49}$/, 'must be a lower-case SQL identifier')
    .default('ordering'),
  STOCKADE_OPS_INVENTORY_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,49}$/, 'must be a lower-case SQL identifier')
    .default('inventory'),
  /** Gateway: where inventory-service keeps its events, for /ops: its PostgreSQL schema (above), or KurrentDB (KURRENTDB_URL). */
  STOCKADE_OPS_INVENTORY_EVENT_STORE: z.enum(['postgres', 'kurrentdb']).default('postgres'),
  ORDER_SERVICE_URL: z.url().optional(),
  CART_SERVICE_URL: z.url().optional(),
};

/** Which variable a choice makes necessary, checked at start so a missing one is named, not discovered. */
export const CONFIG_SCHEMA = z.object(CONFIG_FIELDS).superRefine((config, context) => {
  // A channel's topics are `<topic>.<channel>`: one named `dlq` would be every channel's dead-letter topic.
  for (const channel of [...config.STOCKADE_UPSTREAM_TOKENS.values(), ...config.STOCKADE_CHANNELS]) {
    if (channel === 'dlq')
      context.addIssue({
        code: 'custom',
        path: [config.STOCKADE_CHANNELS.includes(channel) ? 'STOCKADE_CHANNELS' : 'STOCKADE_UPSTREAM_TOKENS'],
        message:
          'names a channel dlq: its topics would be the dead-letter topics of checkout.requested and order.events',
      });
  }
  const require = (variable: keyof typeof CONFIG_FIELDS, because: string) => {
    if (config[variable] === undefined)
      context.addIssue({ code: 'custom', path: [variable], message: `is required when ${because}` });
  };
  if (config.STOCKADE_EVENT_STORE === 'postgres') require('STOCKADE_POSTGRES_URL', 'STOCKADE_EVENT_STORE=postgres');
  if (config.STOCKADE_EVENT_STORE === 'kurrentdb') require('KURRENTDB_URL', 'STOCKADE_EVENT_STORE=kurrentdb');
  if (config.STOCKADE_OPS_INVENTORY_EVENT_STORE === 'kurrentdb')
    require('KURRENTDB_URL', 'STOCKADE_OPS_INVENTORY_EVENT_STORE=kurrentdb');
  if (config.STOCKADE_BUS === 'kafka') require('KAFKA_BROKERS', 'STOCKADE_BUS=kafka');
  if (config.STOCKADE_INVENTORY_SHARDS > 1) {
    const why = 'STOCKADE_INVENTORY_SHARDS is above 1 (shards are partitions of a Kafka topic, fenced in PostgreSQL)';
    if (config.STOCKADE_BUS !== 'kafka')
      context.addIssue({ code: 'custom', path: ['STOCKADE_BUS'], message: `must be kafka when ${why}` });
    if (config.STOCKADE_EVENT_STORE !== 'postgres')
      context.addIssue({ code: 'custom', path: ['STOCKADE_EVENT_STORE'], message: `must be postgres when ${why}` });
  }
  if (config.STOCKADE_OPERATOR_LIVE_STREAM_RESERVE >= config.STOCKADE_MAX_LIVE_STREAMS) {
    context.addIssue({
      code: 'custom',
      path: ['STOCKADE_OPERATOR_LIVE_STREAM_RESERVE'],
      message: 'must be less than STOCKADE_MAX_LIVE_STREAMS',
    });
  }
  for (const issue of sharedTokens(config)) context.addIssue({ code: 'custom', ...issue });
  if (config.KAFKA_SASL_MECHANISM) {
    require('KAFKA_SASL_USERNAME', 'KAFKA_SASL_MECHANISM is set');
    require('KAFKA_SASL_PASSWORD', 'KAFKA_SASL_MECHANISM is set');
  }
});

/** A token grants one role: the same secret for two (API = operator, a channel = the metrics token) would grant both to whoever holds it. */
function sharedTokens(config: {
  STOCKADE_OPERATOR_TOKEN?: string | undefined;
  STOCKADE_API_TOKEN?: string | undefined;
  STOCKADE_METRICS_TOKEN?: string | undefined;
  STOCKADE_UPSTREAM_TOKENS: ReadonlyMap<string, string>;
}): { path: string[]; message: string }[] {
  const holders = new Map<string, string>();
  const issues: { path: string[]; message: string }[] = [];
  const claim = (token: string | undefined, variable: string, role: string) => {
    if (token === undefined) return;
    const holder = holders.get(token);
    if (holder !== undefined)
      issues.push({ path: [variable], message: `is the same token as ${holder}: each role needs a token of its own` });
    else holders.set(token, role);
  };
  claim(config.STOCKADE_OPERATOR_TOKEN, 'STOCKADE_OPERATOR_TOKEN', 'STOCKADE_OPERATOR_TOKEN');
  claim(config.STOCKADE_API_TOKEN, 'STOCKADE_API_TOKEN', 'STOCKADE_API_TOKEN');
  claim(config.STOCKADE_METRICS_TOKEN, 'STOCKADE_METRICS_TOKEN', 'STOCKADE_METRICS_TOKEN');
  for (const [token, channel] of config.STOCKADE_UPSTREAM_TOKENS)
    claim(token, 'STOCKADE_UPSTREAM_TOKENS', `the ${channel} channel's token`);
  return issues;
}

/**
 * Whether this process runs the simulated supplier: as STOCKADE_SUPPLIER_SIMULATOR says, or when
 * unset only in the embedded runner, the demo that shows reorders being delivered. A service run
 * alone is a deployment: a simulator there would deliver purchase orders nobody shipped.
 */
export function supplierSimulatorOn(
  config: Pick<StockadeConfig, 'STOCKADE_SUPPLIER_SIMULATOR'>,
  runner: 'embedded' | 'inventory-service',
): boolean {
  return config.STOCKADE_SUPPLIER_SIMULATOR ?? runner === 'embedded';
}

export const CONFIG_VARIABLES = Object.keys(CONFIG_FIELDS) as readonly (keyof typeof CONFIG_FIELDS)[];

export type StockadeConfig = z.infer<typeof CONFIG_SCHEMA> & {
  readonly operatorTokenGenerated: boolean;
  readonly STOCKADE_OPERATOR_TOKEN: string;
};

export class ConfigurationError extends StockadeError {
  constructor(issues: { field: string; message: string }[]) {
    super('VALIDATION_FAILED', `invalid configuration: ${issues.map((i) => `${i.field} ${i.message}`).join('; ')}`, {
      issues,
    });
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): StockadeConfig {
  const relevant = Object.fromEntries(
    Object.keys(CONFIG_FIELDS)
      .filter((key) => env[key] !== undefined && env[key] !== '')
      .map((key) => [key, env[key]]),
  );
  const parsed = CONFIG_SCHEMA.safeParse(relevant);
  if (!parsed.success) {
    throw new ConfigurationError(
      parsed.error.issues.map((issue) => ({ field: issue.path.join('.'), message: issue.message })),
    );
  }
  const operatorTokenGenerated = parsed.data.STOCKADE_OPERATOR_TOKEN === undefined;
  return {
    ...parsed.data,
    STOCKADE_OPERATOR_TOKEN: parsed.data.STOCKADE_OPERATOR_TOKEN ?? randomBytes(24).toString('base64url'),
    operatorTokenGenerated,
  };
}
