import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChildProcessSystem, freePort } from '../../../tools/client/child-process-system';
import { TcpCutProxy } from './testing/tcp-cut-proxy';

jest.setTimeout(240_000);

const ROOT = join(__dirname, '..', '..', '..');
const KAFKA_SH = join(ROOT, 'tools', 'kafka', 'kafka.sh');
const POSTGRES = new URL(process.env.STOCKADE_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
/** A broker of this test's own: stopping the suite's shared one would fail every other Kafka test. */
const KAFKA_PORT = Number(process.env.STOCKADE_TEST_READINESS_KAFKA_PORT ?? 19392);
const kafkaDataDir = mkdtempSync(join(tmpdir(), 'stockade-readiness-kafka-'));
const dataDir = mkdtempSync(join(tmpdir(), 'stockade-readiness-'));

function kafka(command: 'start' | 'stop'): void {
  execFileSync('bash', [KAFKA_SH, command], {
    env: {
      ...process.env,
      KAFKA_PORT: String(KAFKA_PORT),
      KAFKA_DATA_DIR: kafkaDataDir,
      KAFKA_SASL_PORT: '',
      KAFKA_SASL_SSL_PORT: '',
    },
    stdio: 'pipe',
  });
}

type Readiness = {
  status: string;
  info?: Record<string, { status: string }>;
  error?: Record<string, { status: string; message?: string }>;
};

async function readiness(url: string): Promise<{ code: number; body: Readiness }> {
  const response = await fetch(`${url}/health/ready`);
  return { code: response.status, body: (await response.json()) as Readiness };
}

async function waitForReadiness(url: string, wanted: 200 | 503, timeoutMs = 60_000): Promise<Readiness> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { code, body } = await readiness(url);
    if (code === wanted) return body;
    if (Date.now() > deadline) throw new Error(`/health/ready stayed ${code}: ${JSON.stringify(body)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe('readiness of the order service on Kafka and PostgreSQL', () => {
  let postgres: TcpCutProxy;
  let service: ChildProcessSystem;

  beforeAll(async () => {
    kafka('start');
    postgres = await TcpCutProxy.open({ host: POSTGRES.hostname, port: Number(POSTGRES.port || 5432) });
    const viaProxy = new URL(POSTGRES.href);
    viaProxy.port = String(postgres.port);
    // The built app as its own process, as an operator runs it (and a hung shutdown cannot hang the test run).
    service = new ChildProcessSystem(
      dataDir,
      await freePort(),
      {
        STOCKADE_LOG_LEVEL: 'fatal',
        STOCKADE_BUS: 'kafka',
        KAFKA_BROKERS: `127.0.0.1:${KAFKA_PORT}`,
        STOCKADE_TOPIC_PREFIX: `ready-${randomUUID().slice(0, 8)}.`,
        STOCKADE_EVENT_STORE: 'postgres',
        STOCKADE_POSTGRES_URL: viaProxy.href,
        STOCKADE_POSTGRES_SCHEMA: `ready_${randomUUID().replaceAll('-', '').slice(0, 12)}`,
      },
      'order-service',
    );
    await service.start();
  });

  afterAll(async () => {
    await postgres?.restore();
    await service?.stopWithin(10_000);
    await postgres?.cut();
    kafka('stop');
    rmSync(kafkaDataDir, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('given a started service, then it is live and ready with the store, the bus and the consumers up', async () => {
    expect((await fetch(`${service.url}/health/live`)).status).toBe(200);
    expect(await waitForReadiness(service.url, 200)).toMatchObject({
      info: { 'order-store': { status: 'up' }, bus: { status: 'up' }, consumers: { status: 'up' } },
    });
  });

  it('given PostgreSQL goes away, then readiness turns 503 naming the store while liveness stays 200, and it is ready again once PostgreSQL is back', async () => {
    await postgres.cut();

    const down = await waitForReadiness(service.url, 503);
    expect(down.error).toMatchObject({ 'order-store': { status: 'down' } });
    expect((await fetch(`${service.url}/health/live`)).status).toBe(200);

    await postgres.restore();
    expect(await waitForReadiness(service.url, 200)).toMatchObject({ status: 'ok' });
  });

  it('given the Kafka broker stops, then readiness turns 503 naming the bus while liveness stays 200, and it is ready again after the broker restarts', async () => {
    kafka('stop');

    const down = await waitForReadiness(service.url, 503);
    expect(down.error).toMatchObject({ bus: { status: 'down' } });
    expect((await fetch(`${service.url}/health/live`)).status).toBe(200);

    kafka('start');
    expect(await waitForReadiness(service.url, 200, 120_000)).toMatchObject({ status: 'ok' });
  });
});
