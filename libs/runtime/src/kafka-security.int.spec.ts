import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { StockadeError, systemClock } from '@stockade/kernel';
import type { IncomingMessage, MessageBus } from '@stockade/messaging';
import { waitUntil } from '@stockade/messaging/testing';
import { loadConfig } from './config';
import { openMessageBus } from './infrastructure';
import { kafkaConnection } from './kafka-connection';
import { createLogger } from './logger';

/**
 * The broker's SASL_PLAINTEXT and SASL_SSL listeners (tools/kafka/kafka.sh KAFKA_SASL_PORT and
 * KAFKA_SASL_SSL_PORT; npm test starts them). Missing, this suite fails rather than skips: it is
 * the only proof that the SASL and TLS settings work.
 */
const SASL_BROKERS = process.env.KAFKA_SASL_BROKERS;
const SASL_SSL_BROKERS = process.env.KAFKA_SASL_SSL_BROKERS;
const CA_FILE = process.env.KAFKA_TLS_CA_FILE;
/** The first of kafka.sh's KAFKA_SASL_USERS (user:password, its default when unset). */
const [USERNAME, PASSWORD] = (
  (process.env.KAFKA_SASL_USERS || 'stockade:stockade-secret').split(',')[0] as string
).split(':') as [string, string];

beforeAll(() => {
  if (!SASL_BROKERS || !SASL_SSL_BROKERS || !CA_FILE) {
    throw new Error(
      'KAFKA_SASL_BROKERS, KAFKA_SASL_SSL_BROKERS and KAFKA_TLS_CA_FILE must name the secured listeners: npm test starts them, ' +
        'or start a broker with KAFKA_SASL_PORT and KAFKA_SASL_SSL_PORT set (tools/kafka/README.md).',
    );
  }
});

const logger = createLogger('silent');
const opened: MessageBus[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((bus) => bus.close()));
});

function securedConfig(env: Record<string, string>) {
  return loadConfig({
    STOCKADE_BUS: 'kafka',
    STOCKADE_TOPIC_PREFIX: `sec-${randomUUID().slice(0, 8)}.`,
    KAFKA_TOPIC_PARTITIONS: '1',
    ...env,
  });
}

/** Subscribes, publishes one message and waits for it: the whole path a service uses. */
async function roundTrip(env: Record<string, string>): Promise<string[]> {
  const bus = await openMessageBus(securedConfig(env), 'security-test', systemClock, logger);
  opened.push(bus);
  const received: IncomingMessage[] = [];
  await bus.subscribe({
    groupId: `g-${randomUUID()}`,
    topics: ['audit'],
    handler: async (message) => void received.push(message),
  });
  await bus.publish('audit', [{ key: 'k', value: { hello: 'secured' } }]);
  await waitUntil(() => received.length === 1, 'the message came back over the secured listener', 30_000);
  return received.map((message) => message.value);
}

describe('Kafka over SASL and TLS (real broker)', () => {
  it.each(['plain', 'scram-sha-256', 'scram-sha-512'])(
    'given SASL %s with the right password, when a service publishes and consumes, then the message round-trips',
    async (mechanism) => {
      const values = await roundTrip({
        KAFKA_BROKERS: SASL_BROKERS as string,
        KAFKA_SASL_MECHANISM: mechanism,
        KAFKA_SASL_USERNAME: USERNAME,
        KAFKA_SASL_PASSWORD: PASSWORD,
      });

      expect(values).toEqual([JSON.stringify({ hello: 'secured' })]);
    },
  );

  it('given a wrong password, when a service connects, then it fails as UNAUTHORIZED naming the SASL failure', async () => {
    const connecting = openMessageBus(
      securedConfig({
        KAFKA_BROKERS: SASL_BROKERS as string,
        KAFKA_SASL_MECHANISM: 'scram-sha-256',
        KAFKA_SASL_USERNAME: USERNAME,
        KAFKA_SASL_PASSWORD: 'not-the-password',
      }),
      'security-test',
      systemClock,
      logger,
    );

    await expect(connecting).rejects.toBeInstanceOf(StockadeError);
    await expect(connecting).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
      message: expect.stringMatching(/SASL SCRAM SHA256 authentication failed/),
    });
  });

  it('given TLS with the private CA file and SASL, when a service publishes and consumes, then the message round-trips', async () => {
    const values = await roundTrip({
      KAFKA_BROKERS: SASL_SSL_BROKERS as string,
      KAFKA_SSL_CA_FILE: CA_FILE as string,
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: USERNAME,
      KAFKA_SASL_PASSWORD: PASSWORD,
    });

    expect(values).toEqual([JSON.stringify({ hello: 'secured' })]);
  });

  it('given TLS that trusts only the system CAs, when connecting to the privately signed broker, then the certificate is refused', async () => {
    const config = securedConfig({
      KAFKA_BROKERS: SASL_SSL_BROKERS as string,
      KAFKA_SSL: 'true',
      KAFKA_SASL_MECHANISM: 'plain',
      KAFKA_SASL_USERNAME: USERNAME,
      KAFKA_SASL_PASSWORD: PASSWORD,
    });
    const admin = new Kafka({
      ...kafkaConnection(config, 'security-test'),
      logLevel: logLevel.NOTHING,
      retry: { retries: 0 },
    }).admin();

    await expect(admin.connect()).rejects.toThrow(/self-signed certificate/);
    await admin.disconnect();
  });

  it('given a CA file that does not exist, when the configuration loads, then start fails naming KAFKA_SSL_CA_FILE', () => {
    expect(() =>
      securedConfig({ KAFKA_BROKERS: SASL_SSL_BROKERS as string, KAFKA_SSL_CA_FILE: '/nonexistent/ca.pem' }),
    ).toThrow(/KAFKA_SSL_CA_FILE must be a readable PEM file/);
  });
});
