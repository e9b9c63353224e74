import { execFile, execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { StockadeClient } from '../client/stockade-client';

jest.setTimeout(420_000);

const ROOT = join(__dirname, '..', '..');
const run = mkdtempSync(join(tmpdir(), 'stockade-local-scripts-'));
const id = randomUUID().replaceAll('-', '').slice(0, 8);
/** A broker, ports, schemas and topics of this test's own, beside anything else running. */
const KAFKA_PORT = Number(process.env['STOCKADE_TEST_LOCAL_KAFKA_PORT'] ?? 19792);
const PORT_BASE = Number(process.env['STOCKADE_TEST_LOCAL_PORT_BASE'] ?? 3790);
const TOKEN = 'local-scripts-operator-token-0123';
const env = {
  ...process.env,
  STOCKADE_OPERATOR_TOKEN: TOKEN,
  KAFKA_BROKERS: `127.0.0.1:${KAFKA_PORT}`,
  STOCKADE_LOCAL_RUN_DIR: run,
  STOCKADE_LOCAL_PORT_BASE: String(PORT_BASE),
  STOCKADE_LOCAL_SCHEMA_PREFIX: `ls_${id}_`,
  STOCKADE_TOPIC_PREFIX: `ls-${id}.`,
  STOCKADE_LOG_LEVEL: 'info',
  // The cart service's Redis: npm test's own (tools/test/run-tests.sh), else the local one the script defaults to.
  ...(process.env['STOCKADE_REDIS_URL'] ? { REDIS_URL: process.env['STOCKADE_REDIS_URL'] } : {}),
};

function script(name: 'start-local.sh' | 'stop-local.sh'): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(
      'bash',
      [join(ROOT, 'tools', 'distributed', name)],
      { cwd: ROOT, env, timeout: 240_000 },
      (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, output: `${stdout}${stderr}` }),
    );
  });
}

const SERVICES = ['gateway', 'inventory-service', 'order-service', 'cart-service'] as const;

/** Lines a log alert on ERROR would fire on: pino's error (50) and fatal (60), or any ERROR label. */
function errorLines(): string[] {
  return SERVICES.flatMap((name) => {
    const file = join(run, `${name}.log`);
    if (!existsSync(file)) return [];
    return readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => /"level":(50|60)\b|"level":"(ERROR|FATAL)"/.test(line))
      .map((line) => `${name}: ${line.slice(0, 300)}`);
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function checkoutCompletes(checkoutId: string): Promise<void> {
  const client = new StockadeClient(`http://127.0.0.1:${PORT_BASE}`, TOKEN);
  await client.receiveStock(`LS-${id}`, 1);
  await client.checkout({ checkoutId, customerId: 'local', lines: [{ sku: `LS-${id}`, quantity: 1, unitPrice: 1 }] });
  expect((await client.waitForTerminal(checkoutId, 60_000, 100)).status).toBe('COMPLETED');
}

async function consumerGroups(): Promise<string[]> {
  const admin = new Kafka({
    clientId: `local-scripts-${id}`,
    brokers: [`127.0.0.1:${KAFKA_PORT}`],
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    return (await admin.listGroups()).groups.map((group) => group.groupId);
  } finally {
    await admin.disconnect();
  }
}

describe('tools/distributed start-local.sh and stop-local.sh, as an operator uses them', () => {
  afterAll(async () => {
    await script('stop-local.sh');
    rmSync(run, { recursive: true, force: true });
  });

  it('given the system started and stopped, when it is started again, then it starts (no wait on members that never left), every stop leaves no process behind, no ERROR is logged, no consumer group is left per start, and readiness follows the broker while liveness does not', async () => {
    const first = await script('start-local.sh');
    expect(first).toMatchObject({ code: 0 });
    await checkoutCompletes(`ls-${id}-1`);
    const pids = readdirSync(run)
      .filter((file) => file.endsWith('.pid'))
      .map((file) => Number(readFileSync(join(run, file), 'utf8')));
    expect(pids).toHaveLength(4);
    expect(errorLines()).toEqual([]);

    const stopped = await script('stop-local.sh');
    expect(stopped.code).toBe(0);
    // Each service exits by itself on SIGTERM (none had to be killed), before the broker stops.
    for (const name of SERVICES) expect(stopped.output).toContain(`${name} stopped`);
    expect(stopped.output).not.toContain('did not stop');
    expect(pids.filter(alive)).toEqual([]);

    const second = await script('start-local.sh');
    expect(second).toMatchObject({ code: 0 });
    await checkoutCompletes(`ls-${id}-2`);
    expect(errorLines()).toEqual([]);
    // Order outcomes and live stock: one group per instance, the same after a restart (this run's
    // groups carry its topic prefix, as every deployment's do).
    const groups = (await consumerGroups())
      .filter((group) => group.startsWith(`ls-${id}.`))
      .map((group) => group.slice(`ls-${id}.`.length));
    expect(groups.filter((group) => group.startsWith('order-outcomes-'))).toHaveLength(1);
    expect(groups.filter((group) => group.includes('-live-stock-'))).toHaveLength(1);

    // The broker goes away: every process says it is not ready (naming the bus) and stays live; it is ready again, and works, once the broker is back.
    kafka('stop');
    for (const port of PORTS) {
      const down = await readiness(port, 503);
      expect(port === PORT_BASE ? down : down.error).toMatchObject(
        port === PORT_BASE ? { status: 'error' } : { bus: { status: 'down' } },
      );
      expect((await fetch(`http://127.0.0.1:${port}/health/live`)).status).toBe(200);
    }
    kafka('start');
    for (const port of PORTS) await readiness(port, 200);
    await checkoutCompletes(`ls-${id}-3`);

    expect((await script('stop-local.sh')).code).toBe(0);
  });
});

const PORTS = [PORT_BASE, PORT_BASE + 1, PORT_BASE + 2, PORT_BASE + 3];

function kafka(command: 'start' | 'stop'): void {
  execFileSync('bash', [join(ROOT, 'tools', 'kafka', 'kafka.sh'), command], {
    env: {
      ...env,
      KAFKA_PORT: String(KAFKA_PORT),
      KAFKA_DATA_DIR: join(run, 'kafka-data'),
      KAFKA_SASL_PORT: '',
      KAFKA_SASL_SSL_PORT: '',
    },
    stdio: 'pipe',
  });
}

/** Polls /health/ready until it answers `wanted`; the body of that answer. */
async function readiness(
  port: number,
  wanted: number,
  timeoutMs = 90_000,
): Promise<{ status?: string; error?: Record<string, { status: string }> }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await fetch(`http://127.0.0.1:${port}/health/ready`).catch(() => undefined);
    if (response?.status === wanted)
      return (await response.json()) as { status?: string; error?: Record<string, { status: string }> };
    if (Date.now() > deadline)
      throw new Error(
        `:${port}/health/ready did not answer ${wanted} within ${timeoutMs} ms (last ${response?.status})`,
      );
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
