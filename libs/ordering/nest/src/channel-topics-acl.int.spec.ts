import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  Admin,
  Kafka,
  logLevel,
  Producer,
  ResourcePatternTypes,
} from 'kafkajs';
import { SqliteEventStore } from '@stockade/event-store/sqlite';
import {
  kafkaConnection,
  loadConfig,
  provisionKafkaTopics,
  RunningService,
  salesChannelsOf,
  startServiceApp,
  StockadeConfig,
} from '@stockade/runtime';
import { TopicRecorder } from '../../../../tools/client/topic-recorder';
import { OrderingModule } from './ordering.module';

jest.setTimeout(120_000);

/**
 * Per-channel checkout and outcome topics with broker ACLs (ADR 0023), on the test broker's SASL_PLAINTEXT
 * listener (tools/kafka/kafka.sh enforces ACLs; npm test starts the listener). Like the SASL
 * suite, this fails rather than skips without it: it is the only proof that the ACLs an operator
 * sets (docs/operations.md) do what the design relies on.
 */
const SASL_BROKERS = process.env.KAFKA_SASL_BROKERS;
/** kafka.sh's KAFKA_SASL_USERS: the services' user first, then the channels' (its default when unset). */
const USERS = new Map(
  (process.env.KAFKA_SASL_USERS || 'stockade:stockade-secret,web:web-secret,pos:pos-secret')
    .split(',')
    .map((entry) => entry.split(':') as [string, string]),
);
const SERVICES_USER = [...USERS.keys()][0] as string;

const prefix = `acl-${randomUUID().slice(0, 8)}.`;
const topicOf = (channel: string) => `${prefix}checkout.requested.${channel}`;
const outcomesTopicOf = (channel: string) => `${prefix}order.events.${channel}`;
const ORDER_EVENTS = `${prefix}order.events`;
/** The consumer group a channel reads its outcomes in (its name is the channel's choice; the ACL names it). */
const outcomesGroupOf = (channel: string) => `${prefix}${channel}-outcomes`;
const dataDir = mkdtempSync(join(tmpdir(), 'stockade-acl-'));

function saslConfig(user: string): StockadeConfig {
  return loadConfig({
    STOCKADE_BUS: 'kafka',
    KAFKA_BROKERS: SASL_BROKERS as string,
    KAFKA_SASL_MECHANISM: 'scram-sha-256',
    KAFKA_SASL_USERNAME: user,
    KAFKA_SASL_PASSWORD: USERS.get(user) as string,
    KAFKA_TOPIC_PARTITIONS: '1',
    STOCKADE_TOPIC_PREFIX: prefix,
    STOCKADE_CHANNELS: 'web,pos',
    STOCKADE_DATA_DIR: dataDir,
    STOCKADE_INSTANCE_ID: 'acl-test',
    STOCKADE_LOG_LEVEL: 'silent',
    STOCKADE_QUIET: 'true',
    PORT: '0',
  });
}

const kafkaAs = (user: string) =>
  new Kafka({
    ...kafkaConnection(saslConfig(user), `acl-test-${user}`),
    logLevel: logLevel.NOTHING,
    retry: { retries: 2 },
  });

/** What docs/operations.md has an operator run with kafka-acls.sh, as admin requests. */
async function grantChannelTopics(admin: Admin): Promise<void> {
  const allow = (
    principal: string,
    resourceType: AclResourceTypes,
    resourceName: string,
    operation: AclOperationTypes,
  ) => ({
    resourceType,
    resourceName,
    resourcePatternType: ResourcePatternTypes.LITERAL,
    principal: `User:${principal}`,
    host: '*',
    operation,
    permissionType: AclPermissionTypes.ALLOW,
  });
  const onTopic = (principal: string, topic: string, operations: readonly AclOperationTypes[]) =>
    operations.map((operation) => allow(principal, AclResourceTypes.TOPIC, topic, operation));
  const { READ, WRITE, DESCRIBE } = AclOperationTypes;
  const acl = [
    ...['web', 'pos'].flatMap((channel) => [
      // A channel writes its checkout topic, the services read it.
      ...onTopic(channel, topicOf(channel), [WRITE, DESCRIBE]),
      ...onTopic(SERVICES_USER, topicOf(channel), [READ, DESCRIBE]),
      // The services write a channel's outcomes topic, the channel reads it, in a group of its own.
      ...onTopic(SERVICES_USER, outcomesTopicOf(channel), [WRITE, DESCRIBE]),
      ...onTopic(channel, outcomesTopicOf(channel), [READ, DESCRIBE]),
      allow(channel, AclResourceTypes.GROUP, outcomesGroupOf(channel), READ),
    ]),
    // order.events is Stockade's own (the relay writes it; carts and metrics read it): no channel is named.
    ...onTopic(SERVICES_USER, ORDER_EVENTS, [READ, WRITE, DESCRIBE]),
  ];
  await admin.createAcls({ acl });
  // The broker's authorizer applies them from the metadata log: wait until it answers with all of them.
  for (const deadline = Date.now() + 30_000; ;) {
    // Every ACL on the broker (kafkajs takes an absent name and principal as "any"), then this test's.
    const { resources } = await admin.describeAcls({
      resourceType: AclResourceTypes.ANY,
      resourcePatternType: ResourcePatternTypes.ANY,
      operation: AclOperationTypes.ANY,
      permissionType: AclPermissionTypes.ANY,
    } as Parameters<Admin['describeAcls']>[0]);
    const applied = resources
      .filter((resource) => resource.resourceName.startsWith(prefix))
      .reduce((count, resource) => count + resource.acls.length, 0);
    if (applied >= acl.length) return;
    if (Date.now() > deadline) throw new Error('the broker did not apply the ACLs within 30 s');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function orderPlacedIn(orderId: string, timeoutMs = 60_000): Promise<Record<string, unknown>> {
  const store = SqliteEventStore.open(join(dataDir, 'orders.db'));
  try {
    for (
      const deadline = Date.now() + timeoutMs;
      Date.now() < deadline;
      await new Promise((resolve) => setTimeout(resolve, 200))
    ) {
      const [placed] = await store.readStream(`order-${orderId}`);
      if (placed) return placed.data as Record<string, unknown>;
    }
    throw new Error(`no order ${orderId} within ${timeoutMs} ms`);
  } finally {
    await store.close();
  }
}

const checkout = (checkoutId: string, customerId: string) =>
  JSON.stringify({ checkoutId, customerId, lines: [{ sku: 'ACL-LAMP', quantity: 1, unitPrice: 10 }] });
/** Inventory's answer that the order's stock is short: no inventory runs here, so the test plays it. */
const stockShort = (orderId: string) =>
  JSON.stringify({
    messageId: randomUUID(),
    type: 'StockReservationRejected.v1',
    correlationId: orderId,
    causationId: orderId,
    occurredAt: new Date().toISOString(),
    data: {
      checkoutId: orderId,
      shortLines: [{ sku: 'ACL-LAMP', requested: 1, available: 0, reason: 'ACL-LAMP: only 0 available, 1 requested' }],
    },
  });

async function storedTypesOf(orderId: string): Promise<string[]> {
  const store = SqliteEventStore.open(join(dataDir, 'orders.db'));
  try {
    return (await store.readStream(`order-${orderId}`)).map((event) => event.type);
  } finally {
    await store.close();
  }
}

describe('sales channels on their own topics, held to them by broker ACLs (real broker, SASL)', () => {
  let service: RunningService;
  let admin: Admin;
  let web: Producer;
  let pos: Producer;
  let webDeadLetters: TopicRecorder;
  let webOutcomes: TopicRecorder | undefined;
  /** Stockade's principal, playing inventory. */
  let services: Producer;

  /** Places a channel's checkout by its own topic and has inventory reject it: the order ends OrderRejected. */
  async function rejectedOrderOf(channel: Producer, name: string, customerId: string): Promise<string> {
    const checkoutId = `acl-${randomUUID()}`;
    const orderId = `${name}:${checkoutId}`;
    await channel.send({
      topic: topicOf(name),
      messages: [{ key: checkoutId, value: checkout(checkoutId, customerId) }],
    });
    await orderPlacedIn(orderId);
    await services.send({
      topic: `${prefix}inventory.events`,
      messages: [{ key: orderId, value: stockShort(orderId) }],
    });
    for (
      const deadline = Date.now() + 60_000;
      !(await storedTypesOf(orderId)).some((type) => type.startsWith('OrderRejected'));
      await new Promise((resolve) => setTimeout(resolve, 200))
    ) {
      if (Date.now() > deadline) throw new Error(`order ${orderId} was not rejected within 60 s`);
    }
    return orderId;
  }

  beforeAll(async () => {
    if (!SASL_BROKERS)
      throw new Error(
        'KAFKA_SASL_BROKERS must name the SASL_PLAINTEXT listener: npm test starts it, or start a broker with KAFKA_SASL_PORT set (tools/kafka/README.md).',
      );
    for (const user of [SERVICES_USER, 'web', 'pos'])
      if (!USERS.has(user))
        throw new Error(`KAFKA_SASL_USERS has no user ${user} (kafka.sh's default has stockade, web and pos)`);
    const config = saslConfig(SERVICES_USER);
    await provisionKafkaTopics(config);
    admin = kafkaAs(SERVICES_USER).admin();
    await admin.connect();
    await grantChannelTopics(admin);
    service = await startServiceApp(config, 'ordering', [
      OrderingModule.register({ outcomesGroupId: 'acl-test-outcomes', channels: salesChannelsOf(config) }),
    ]);
    webDeadLetters = new TopicRecorder(kafkaAs(SERVICES_USER), `${topicOf('web')}.dlq`);
    await webDeadLetters.start();
    web = kafkaAs('web').producer();
    pos = kafkaAs('pos').producer();
    services = kafkaAs(SERVICES_USER).producer();
    await Promise.all([web.connect(), pos.connect(), services.connect()]);
  });

  afterAll(async () => {
    await Promise.all([
      web?.disconnect(),
      pos?.disconnect(),
      services?.disconnect(),
      webDeadLetters?.stop(),
      webOutcomes?.stop(),
      admin?.disconnect(),
    ]);
    await service?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("given web's principal, when it publishes a checkout for a web: customer on its own topic, then the order web:<checkoutId> is placed for that customer", async () => {
    const checkoutId = `acl-${randomUUID()}`;

    await web.send({
      topic: topicOf('web'),
      messages: [{ key: checkoutId, value: checkout(checkoutId, 'web:alice') }],
    });

    expect(await orderPlacedIn(`web:${checkoutId}`)).toMatchObject({
      orderId: `web:${checkoutId}`,
      customerId: 'web:alice',
    });
  });

  it("given web's principal, when it publishes on pos's topic, then the broker refuses it (TOPIC_AUTHORIZATION_FAILED), while pos's own principal may", async () => {
    const checkoutId = `acl-${randomUUID()}`;

    const forged = web.send({
      topic: topicOf('pos'),
      messages: [{ key: checkoutId, value: checkout(checkoutId, 'pos:bob') }],
    });

    await expect(forged).rejects.toMatchObject({ cause: { type: 'TOPIC_AUTHORIZATION_FAILED' } });
    await pos.send({ topic: topicOf('pos'), messages: [{ key: checkoutId, value: checkout(checkoutId, 'pos:bob') }] });
    expect(await orderPlacedIn(`pos:${checkoutId}`)).toMatchObject({ customerId: 'pos:bob' });
  });

  it("given web's principal, when it publishes a checkout for a pos: customer on its own topic, then it is dead-lettered with the reason and no order is placed", async () => {
    const checkoutId = `acl-${randomUUID()}`;

    await web.send({ topic: topicOf('web'), messages: [{ key: checkoutId, value: checkout(checkoutId, 'pos:bob') }] });

    await webDeadLetters.waitFor(
      (messages) => messages.some((message) => message.key === checkoutId),
      'the forged checkout',
    );
    const deadLetter = webDeadLetters.messages.find((message) => message.key === checkoutId);
    expect(deadLetter?.headers).toMatchObject({
      'x-dlq-error-code': 'VALIDATION_FAILED',
      'x-dlq-error': expect.stringContaining('customer pos:bob is not a customer of channel web'),
    });
    const store = SqliteEventStore.open(join(dataDir, 'orders.db'));
    try {
      expect([
        ...(await store.readStream(`order-web:${checkoutId}`)),
        ...(await store.readStream(`order-pos:${checkoutId}`)),
        ...(await store.readStream(`order-${checkoutId}`)),
      ]).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it("given User:web may read order.events.web in its group, when a pos order and then a web order end, then web's consumer receives its own order's outcome there, as on order.events, and not pos's", async () => {
    await rejectedOrderOf(pos, 'pos', 'pos:bob');
    const webOrder = await rejectedOrderOf(web, 'web', 'web:alice');

    webOutcomes = new TopicRecorder(kafkaAs('web'), outcomesTopicOf('web'), outcomesGroupOf('web'));
    await webOutcomes.start();

    await webOutcomes.waitFor(
      (messages) => messages.some((message) => message.key === webOrder),
      "web's order outcome",
    );
    // The relay publishes in store order: pos's outcome, were it sent to web's topic, would be there first.
    expect(webOutcomes.messages.map((message) => message.key)).toEqual([webOrder]);
    expect(JSON.parse(webOutcomes.messages[0]?.value ?? '{}')).toMatchObject({
      type: 'OrderRejected.v1',
      correlationId: webOrder,
      data: { orderId: webOrder, customerId: 'web:alice' },
    });
  });

  it("given User:web, when it subscribes to pos's outcomes topic or to order.events (in its own group), then the broker refuses it (TOPIC_AUTHORIZATION_FAILED)", async () => {
    for (const topic of [outcomesTopicOf('pos'), ORDER_EVENTS]) {
      const consumer = kafkaAs('web').consumer({ groupId: outcomesGroupOf('web') });
      await consumer.connect();
      try {
        await expect(consumer.subscribe({ topics: [topic], fromBeginning: true })).rejects.toMatchObject({
          type: 'TOPIC_AUTHORIZATION_FAILED',
        });
      } finally {
        await consumer.disconnect();
      }
    }
  });
});
