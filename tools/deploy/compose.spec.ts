import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertSafeToListen, CONFIG_VARIABLES, loadConfig } from '@stockade/runtime';
import {
  dependenciesOf,
  environmentOf,
  MissingComposeVariable,
  readComposeFile,
  readRawComposeFile,
} from './compose-file';
import {
  APP_OF_SERVICE,
  APP_SERVICES,
  COMPOSE_PATH,
  INFRA_SERVICES,
  LISTENING_SERVICES,
  REPOSITORY_ROOT,
  SAMPLE_ENV,
  serviceIn,
  VARIANTS,
} from './stack.fixture';

/**
 * There is no Docker engine on our machines, so docker-compose.yml is checked statically: every
 * app it starts exists, and every variable it sets is one the configuration loader knows and
 * accepts. How the services are wired together: compose-wiring.spec.ts.
 */
const compose = readComposeFile(COMPOSE_PATH, SAMPLE_ENV);
const service = (name: string) => serviceIn(compose, name);
const configOf = (name: string) => loadConfig(environmentOf(service(name)));

describe('docker-compose.yml: services and their configuration', () => {
  it('given the compose file, then it defines the infrastructure, the one-shot topic provisioning and the four app services', () => {
    expect(Object.keys(compose.services).sort()).toEqual([...INFRA_SERVICES, ...APP_SERVICES].sort());
  });

  it.each(APP_SERVICES)(
    'given %s, then it builds the repository Dockerfile with an APP that exists as apps/<APP>/src/main.ts',
    (name) => {
      const build = service(name).build;
      expect(typeof build).toBe('object');
      const { context, dockerfile, args } = build as Exclude<typeof build, string | undefined>;
      expect(context).toBe('.');
      expect(dockerfile ?? 'Dockerfile').toBe('Dockerfile');
      expect(args?.APP).toBe(APP_OF_SERVICE[name]);
      // provision-topics is added by the lead; until apps/provision-topics exists this fails on purpose.
      expect(existsSync(join(REPOSITORY_ROOT, 'apps', APP_OF_SERVICE[name], 'src', 'main.ts'))).toBe(true);
    },
  );

  it.each(APP_SERVICES)(
    'given %s, then every environment variable it sets is a Stockade configuration variable',
    (name) => {
      const unknown = Object.keys(environmentOf(service(name))).filter(
        (variable) => !(CONFIG_VARIABLES as readonly string[]).includes(variable),
      );
      expect(unknown).toEqual([]);
    },
  );

  describe.each(Object.entries(VARIANTS))('with the %s environment', (_variant, env) => {
    const variant = readComposeFile(COMPOSE_PATH, env);
    it.each(APP_SERVICES)(
      'given %s, when its environment is loaded, then the configuration loader accepts it',
      (name) => {
        expect(() => loadConfig(environmentOf(serviceIn(variant, name)))).not.toThrow();
      },
    );

    it.each(LISTENING_SERVICES)(
      'given %s, when it would start listening (HOST=0.0.0.0 in the image), then it is closed: tokens set and strong, nothing to refuse or warn about',
      (name) => {
        const warnings: string[] = [];
        const config = loadConfig({ HOST: '0.0.0.0', ...environmentOf(serviceIn(variant, name)) });
        expect(() => assertSafeToListen(config, (warning) => warnings.push(warning))).not.toThrow();
        expect(warnings).toEqual([]);
        expect(config.STOCKADE_ALLOW_OPEN_ACCESS).toBe(false);
      },
    );
  });

  it('given no STOCKADE_API_TOKEN exported, then compose refuses to start, so no container listens open', () => {
    expect(() =>
      readComposeFile(COMPOSE_PATH, { STOCKADE_OPERATOR_TOKEN: SAMPLE_ENV.STOCKADE_OPERATOR_TOKEN }),
    ).toThrow(/STOCKADE_API_TOKEN/);
  });

  it('given no STOCKADE_OPERATOR_TOKEN exported, then compose refuses to start, so no token is committed', () => {
    expect(() => readComposeFile(COMPOSE_PATH, {})).toThrow(MissingComposeVariable);
    expect(() => readComposeFile(COMPOSE_PATH, {})).toThrow(/STOCKADE_OPERATOR_TOKEN/);
    const raw = readRawComposeFile(COMPOSE_PATH);
    const tokens = APP_SERVICES.map((name) => environmentOf(serviceIn(raw, name)).STOCKADE_OPERATOR_TOKEN).filter(
      (token) => token !== undefined,
    );
    expect(tokens.length).toBeGreaterThan(0);
    for (const token of tokens) expect(token).toMatch(/^\$\{STOCKADE_OPERATOR_TOKEN:\?[^}]+\}$/);
  });

  it('given the services that process messages, then all of them use Kafka at kafka:9092 and agree on the partition count', () => {
    const onKafka = APP_SERVICES.filter((name) => name !== 'gateway').map(configOf);
    for (const config of onKafka) expect(config).toMatchObject({ STOCKADE_BUS: 'kafka', KAFKA_BROKERS: 'kafka:9092' });
    expect(new Set(onKafka.map((config) => config.KAFKA_TOPIC_PARTITIONS)).size).toBe(1);
  });

  it('given inventory and order services, then each keeps its events in PostgreSQL under a schema of its own', () => {
    const [inventory, orders] = [configOf('inventory-service'), configOf('order-service')];
    expect([inventory.STOCKADE_EVENT_STORE, orders.STOCKADE_EVENT_STORE]).toEqual(['postgres', 'postgres']);
    expect(inventory.STOCKADE_POSTGRES_SCHEMA).toBeDefined();
    expect(inventory.STOCKADE_POSTGRES_SCHEMA).not.toBe(orders.STOCKADE_POSTGRES_SCHEMA);
  });

  it('given the kurrent profile variant, then inventory keeps its events in KurrentDB, which only that profile starts', () => {
    const kurrent = readComposeFile(COMPOSE_PATH, VARIANTS['kurrent profile']);
    expect(loadConfig(environmentOf(serviceIn(kurrent, 'inventory-service'))).STOCKADE_EVENT_STORE).toBe('kurrentdb');
    expect(service('kurrentdb').profiles).toEqual(['kurrent']);
    expect(dependenciesOf(service('inventory-service')).kurrentdb).toEqual({
      condition: 'service_healthy',
      required: false,
    });
  });

  it('given the services that listen, then each has an instance id of its own that stays the same when the container is recreated, so it rejoins its consumer groups', () => {
    const ids = LISTENING_SERVICES.map((name) => environmentOf(service(name)).STOCKADE_INSTANCE_ID);
    expect(ids).toEqual([...LISTENING_SERVICES]);
  });

  it.each(Object.entries(VARIANTS))(
    "with the %s environment, the gateway reads inventory for /ops from the store inventory-service writes, and orders from order-service's schema",
    (_variant, env) => {
      const variant = readComposeFile(COMPOSE_PATH, env);
      const [inventory, orders, gateway] = ['inventory-service', 'order-service', 'gateway'].map((name) =>
        loadConfig(environmentOf(serviceIn(variant, name))),
      );
      expect(gateway.STOCKADE_OPS_INVENTORY_EVENT_STORE).toBe(inventory.STOCKADE_EVENT_STORE);
      if (inventory.STOCKADE_EVENT_STORE === 'kurrentdb') expect(gateway.KURRENTDB_URL).toBe(inventory.KURRENTDB_URL);
      else
        expect([gateway.STOCKADE_POSTGRES_URL, gateway.STOCKADE_OPS_INVENTORY_SCHEMA]).toEqual([
          inventory.STOCKADE_POSTGRES_URL,
          inventory.STOCKADE_POSTGRES_SCHEMA,
        ]);
      expect([gateway.STOCKADE_POSTGRES_URL, gateway.STOCKADE_OPS_ORDERING_SCHEMA]).toEqual([
        orders.STOCKADE_POSTGRES_URL,
        orders.STOCKADE_POSTGRES_SCHEMA,
      ]);
    },
  );

  it('given the cart service, then its carts live in Redis; and the gateway knows all three upstream services', () => {
    expect(configOf('cart-service').REDIS_URL).toBeDefined();
    expect(configOf('gateway')).toMatchObject({
      INVENTORY_SERVICE_URL: expect.any(String),
      ORDER_SERVICE_URL: expect.any(String),
      CART_SERVICE_URL: expect.any(String),
    });
  });

  it('given the Kafka service, then it is a single KRaft node of the broker version the tests run (tools/kafka), advertising the address the services are given', () => {
    const kafka = service('kafka');
    const env = environmentOf(kafka);
    const testedVersion = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(
      readFileSync(join(REPOSITORY_ROOT, 'tools', 'kafka', 'pom.xml'), 'utf8'),
    )?.[1];
    expect(testedVersion).toMatch(/^4\.\d+\.\d+$/);
    expect(kafka.image).toBe(`apache/kafka:${testedVersion}`);
    expect(env).toMatchObject({
      KAFKA_PROCESS_ROLES: 'broker,controller',
      KAFKA_ADVERTISED_LISTENERS: 'PLAINTEXT://kafka:9092',
    });
    expect(env.KAFKA_CONTROLLER_QUORUM_VOTERS).toBe(`${env.KAFKA_NODE_ID}@kafka:9093`);
    // KRaft refuses a cluster id that is not 16 bytes in base64url.
    expect(Buffer.from(env.CLUSTER_ID ?? '', 'base64url')).toHaveLength(16);
  });
});
