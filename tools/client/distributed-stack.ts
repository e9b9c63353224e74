import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Kafka, logLevel, Producer } from 'kafkajs';
import { Client } from 'pg';
import { ChildProcessSystem, DIST, freePort, OPERATOR_TOKEN } from './child-process-system';
import { StockadeClient } from './stockade-client';

export const KAFKA_BROKERS = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';
export const POSTGRES_URL = process.env.STOCKADE_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS_URL = process.env.STOCKADE_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * The distributed system for real: provision-topics, inventory-service, order-service, cart-service
 * and the gateway as separate OS processes on Kafka, PostgreSQL and Redis. Random topic prefix and
 * schemas per stack, so runs never see each other's data.
 */
export class DistributedStack {
  readonly id = `d${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
  readonly topicPrefix = `${this.id}.`;
  /** The upstream topic under a name of its own, as a team with an existing topic would configure it. */
  readonly upstreamTopic = `${this.id}-upstream-checkouts`;
  private readonly dataDir = mkdtempSync(join(tmpdir(), 'stockade-dist-'));
  readonly schemas = { inventory: `${this.id}_inventory`, ordering: `${this.id}_ordering` };
  inventory!: ChildProcessSystem;
  /** Inventory instances beyond the first (sharded inventory, ADR 0020). */
  readonly moreInventories: ChildProcessSystem[] = [];
  /** Order-service instances beyond the first: they share its schema and consumer groups. */
  readonly moreOrders: ChildProcessSystem[] = [];
  orders!: ChildProcessSystem;
  carts!: ChildProcessSystem;
  gateway!: ChildProcessSystem;
  readonly kafka: Kafka;
  private producer: Producer | undefined;

  constructor(
    /** The services' PostgreSQL, e.g. with an `application_name` so a benchmark can find their backends. */
    private readonly postgresUrl = POSTGRES_URL,
    /** Set on every service process too, e.g. OTEL_EXPORTER_OTLP_ENDPOINT. */
    private readonly extraEnv: Record<string, string> = {},
    /** A broker of the caller's own (the fault harness stops and starts it). */
    private readonly brokers = KAFKA_BROKERS,
    /**
     * Where the stack differs beyond that: `gatewayEnv` is set on the gateway only (e.g.
     * STOCKADE_UPSTREAM_TOKENS for the public API's sales channels); `redisUrl` is the cart
     * service's Redis (the fault harness flushes one of its own).
     */
    private readonly options: { readonly gatewayEnv?: Record<string, string>; readonly redisUrl?: string } = {},
  ) {
    this.kafka = new Kafka({ clientId: `test-${this.id}`, brokers: brokers.split(','), logLevel: logLevel.NOTHING });
  }

  /** This stack's topics on the shared broker: its own prefix, and the upstream topic under its own name. */
  private topicNaming(): Record<string, string> {
    return {
      STOCKADE_TOPIC_PREFIX: this.topicPrefix,
      STOCKADE_TOPIC_NAMES: `checkout.requested=${this.upstreamTopic}`,
    };
  }

  private env(extra: Record<string, string> = {}): Record<string, string> {
    return {
      STOCKADE_BUS: 'kafka',
      KAFKA_BROKERS: this.brokers,
      KAFKA_TOPIC_PARTITIONS: '4',
      ...this.topicNaming(),
      STOCKADE_EVENT_STORE: 'postgres',
      STOCKADE_POSTGRES_URL: this.postgresUrl,
      STOCKADE_LOG_LEVEL: 'warn',
      ...this.extraEnv,
      ...extra,
    };
  }

  async start(): Promise<void> {
    await promisify(execFile)(process.execPath, [join(DIST, 'apps', 'provision-topics', 'src', 'main.js')], {
      env: { ...process.env, ...this.env(), STOCKADE_OPERATOR_TOKEN: OPERATOR_TOKEN },
    });
    this.inventory = new ChildProcessSystem(
      this.dataDir,
      await freePort(),
      this.env({ STOCKADE_POSTGRES_SCHEMA: this.schemas.inventory }),
      'inventory-service',
    );
    this.orders = new ChildProcessSystem(
      this.dataDir,
      await freePort(),
      this.env({ STOCKADE_POSTGRES_SCHEMA: this.schemas.ordering }),
      'order-service',
    );
    this.carts = new ChildProcessSystem(
      this.dataDir,
      await freePort(),
      this.env({ REDIS_URL: this.options.redisUrl ?? REDIS_URL }),
      'cart-service',
    );
    await Promise.all([this.inventory.start(), this.orders.start(), this.carts.start()]);
    this.gateway = new ChildProcessSystem(
      this.dataDir,
      await freePort(),
      {
        INVENTORY_SERVICE_URL: this.inventory.url,
        ORDER_SERVICE_URL: this.orders.url,
        CART_SERVICE_URL: this.carts.url,
        // The operator surface reads the services' stores and the dead-letter topics.
        STOCKADE_BUS: 'kafka',
        KAFKA_BROKERS: this.brokers,
        // The same topic names as the services, for the topics the gateway publishes to (rebuilds).
        ...this.topicNaming(),
        STOCKADE_POSTGRES_URL: this.postgresUrl,
        STOCKADE_OPS_ORDERING_SCHEMA: this.schemas.ordering,
        STOCKADE_OPS_INVENTORY_SCHEMA: this.schemas.inventory,
        ...this.options.gatewayEnv,
      },
      'gateway',
    );
    await this.gateway.start();
  }

  /** Starts one more inventory-service process on the same schema and consumer group: it takes its share of the shards. */
  addInventoryInstance(): Promise<ChildProcessSystem> {
    return this.addInstance('inventory-service', this.schemas.inventory, 'inventory', this.moreInventories);
  }

  /** Starts one more order-service process on the same schema and consumer groups, as an operator scales orders out. */
  addOrderInstance(): Promise<ChildProcessSystem> {
    return this.addInstance('order-service', this.schemas.ordering, 'orders', this.moreOrders);
  }

  private async addInstance(
    app: string,
    schema: string,
    name: string,
    instances: ChildProcessSystem[],
  ): Promise<ChildProcessSystem> {
    const instance = new ChildProcessSystem(
      this.dataDir,
      await freePort(),
      this.env({ STOCKADE_POSTGRES_SCHEMA: schema, STOCKADE_INSTANCE_ID: `${name}-${instances.length + 2}` }),
      app,
    );
    instances.push(instance);
    await instance.start();
    return instance;
  }

  client(): StockadeClient {
    return new StockadeClient(this.gateway.url, OPERATOR_TOKEN);
  }

  topic(logical: string): string {
    if (logical === 'checkout.requested') return this.upstreamTopic;
    if (logical === 'checkout.requested.dlq') return `${this.upstreamTopic}.dlq`;
    return `${this.topicPrefix}${logical}`;
  }

  /** A plain kafkajs producer, as an upstream team would use. */
  async publish(
    logicalTopic: string,
    messages: { key: string; value: string; headers?: Record<string, string> }[],
  ): Promise<void> {
    if (!this.producer) {
      this.producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
      await this.producer.connect();
    }
    await this.producer.send({ topic: this.topic(logicalTopic), acks: -1, messages });
  }

  async stop(): Promise<void> {
    await this.producer?.disconnect();
    await Promise.all([
      this.gateway?.stop(),
      this.carts?.stop(),
      this.orders?.stop(),
      this.inventory?.stop(),
      ...this.moreInventories.map((instance) => instance.stop()),
      ...this.moreOrders.map((instance) => instance.stop()),
    ]);
    const pg = new Client({ connectionString: this.postgresUrl });
    await pg.connect();
    await pg.query(
      `DROP SCHEMA IF EXISTS ${this.schemas.inventory} CASCADE; DROP SCHEMA IF EXISTS ${this.schemas.ordering} CASCADE`,
    );
    await pg.end();
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
