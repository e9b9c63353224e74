import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { SqliteEventStore } from '@stockade/event-store/sqlite';
import { DLQ_HEADERS } from '@stockade/messaging';
import { SqliteMessageBus } from '@stockade/messaging/sqlite';
import { OPERATOR_TOKEN, startTestSystem } from '@stockade/embedded/testing';
import { runCli } from '@stockade/cli';

/** Runs the CLI in-process against `url`, capturing what it prints. */
async function stockade(
  url: string,
  args: readonly string[],
  options: { token?: string; signal?: AbortSignal; onOutput?: (text: string) => void } = {},
) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(['--url', url, ...args], {
    stdout: { write: (text: string) => ((stdout += text), options.onOutput?.(stdout)) },
    stderr: { write: (text: string) => (stderr += text) },
    env: { STOCKADE_OPERATOR_TOKEN: options.token ?? OPERATOR_TOKEN },
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return { code, stdout, stderr };
}

describe('the stockade CLI against the embedded system', () => {
  let sut: Awaited<ReturnType<typeof startTestSystem>>;

  beforeAll(async () => {
    sut = await startTestSystem();
    await sut.client.receiveStock('CLI-LAMP', 3);
  });
  afterAll(() => sut.stop());

  it('given a cancelled order, when `stockade order` runs, then it prints why in plain words and exits 0; an unknown order exits 3', async () => {
    await sut.client.checkout({
      checkoutId: 'cli-declined',
      customerId: 'alice',
      lines: [{ sku: 'CLI-LAMP', quantity: 1, unitPrice: 9 }],
      paymentToken: 'decline:card stolen',
    });
    await sut.client.waitForTerminal('cli-declined');

    const known = await stockade(sut.system.url, ['order', 'cli-declined']);
    const unknown = await stockade(sut.system.url, ['order', 'nobody']);

    expect(known.code).toBe(0);
    expect(known.stdout).toContain('CANCELLED');
    expect(known.stdout).toMatch(/why: .*card stolen/);
    expect(known.stdout).toContain('OrderPlaced');
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toContain('nobody');
  });

  it('given a SKU, when `stockade stock --json` runs, then its levels come back as JSON', async () => {
    const { code, stdout } = await stockade(sut.system.url, ['--json', 'stock', 'CLI-LAMP', '--movements', '2']);

    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ sku: 'CLI-LAMP', onHand: 3, reserved: 0, available: 3 });
  });

  it('given balanced books, when `stockade check` runs, then it says so and exits 0; after drift is injected it names the SKU and exits 1', async () => {
    const clean = await stockade(sut.system.url, ['check']);
    expect(clean).toMatchObject({ code: 0 });
    expect(clean.stdout).toContain('the books balance');

    const inventory = SqliteEventStore.open(join(sut.dataDir, 'inventory.db'));
    try {
      const version = await inventory.streamVersion('stock-CLI-LAMP');
      const meta = { correlationId: 'x', causationId: 'x', occurredAt: new Date().toISOString() };
      await inventory.appendToStream(
        'stock-CLI-LAMP',
        [
          {
            id: randomUUID(),
            type: 'StockReceived',
            data: { sku: 'CLI-LAMP', quantity: 1, onHand: 10, reserved: 0 },
            metadata: meta,
          },
        ],
        { expectedVersion: version },
      );
    } finally {
      await inventory.close();
    }
    const drifted = await stockade(sut.system.url, ['check']);

    expect(drifted.code).toBe(1);
    expect(drifted.stdout).toMatch(/on-hand-mismatch\s+CLI-LAMP/);
    expect(drifted.stdout).toContain('first bad event: stock-CLI-LAMP@');
  });

  it('given nothing in flight, when `stockade stuck` runs, then it exits 0', async () => {
    const { code, stdout } = await stockade(sut.system.url, ['stuck', '--older-than', '1h']);
    expect(code).toBe(0);
    expect(stdout).toContain('no order stuck');
  });

  it('given `stockade tail --order`, when that order is placed after it started, then its events are printed as they happen', async () => {
    const aborter = new AbortController();
    let seen = '';
    const tail = stockade(sut.system.url, ['--json', 'tail', '--order', 'cli-tail'], {
      signal: aborter.signal,
      onOutput: (text) => (seen = text),
    });
    await new Promise((resolve) => setTimeout(resolve, 300));

    await sut.client.checkout({
      checkoutId: 'cli-tail',
      customerId: 'bob',
      lines: [{ sku: 'CLI-LAMP', quantity: 1, unitPrice: 9 }],
    });
    for (let tries = 0; tries < 200 && !seen.includes('OrderCompleted'); tries++)
      await new Promise((resolve) => setTimeout(resolve, 20));
    aborter.abort();
    await tail;

    const types = seen
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { type: string }).type);
    expect(types[0]).toBe('OrderPlaced');
    expect(types).toContain('OrderCompleted');
  });

  it('given a dead letter, when `stockade dlq list` and `dlq replay` run, then it is listed (exit 1), replayed once, and a second replay says who did it', async () => {
    const upstream = SqliteMessageBus.open(join(sut.dataDir, 'messages.db'));
    try {
      const checkout = {
        checkoutId: 'cli-dlq',
        customerId: 'gus',
        lines: [{ sku: 'CLI-LAMP', quantity: 1, unitPrice: 9 }],
      };
      await upstream.publish('checkout.requested.dlq', [
        {
          key: 'cli-dlq',
          value: checkout,
          headers: { [DLQ_HEADERS.originalTopic]: 'checkout.requested', [DLQ_HEADERS.error]: 'a bug, since fixed' },
        },
      ]);
    } finally {
      await upstream.close();
    }
    let listed = await stockade(sut.system.url, ['--json', 'dlq', 'list']);
    for (let tries = 0; tries < 100 && !listed.stdout.includes('cli-dlq'); tries++)
      listed = await stockade(sut.system.url, ['--json', 'dlq', 'list']);
    const id = (JSON.parse(listed.stdout) as { id: string; key: string }[]).find((letter) => letter.key === 'cli-dlq')
      ?.id as string;

    const replayed = await stockade(sut.system.url, ['dlq', 'replay', id, '--as', 'alice']);
    const again = await stockade(sut.system.url, ['dlq', 'replay', id, '--as', 'bob']);

    expect(listed.code).toBe(1);
    expect(replayed).toMatchObject({ code: 0 });
    expect(replayed.stdout).toContain(`replayed  ${id}`);
    expect(again.stdout).toContain('already replayed');
    expect(again.stdout).toContain('by alice');
    expect((await sut.client.waitForTerminal('cli-dlq')).status).toBe('COMPLETED');
    expect((await stockade(sut.system.url, ['dlq', 'replay'])).code).toBe(2);
  });

  it('given a dead letter whose key, error and value hold terminal escapes (\\x1b[31m, \\r, a C1 CSI), when `dlq list` and `dlq show` print it, then every control character arrives as a visible escape', async () => {
    const key = 'cli-esc\x1b[31m\rRED';
    const upstream = SqliteMessageBus.open(join(sut.dataDir, 'messages.db'));
    try {
      await upstream.publish('checkout.requested.dlq', [
        {
          key,
          value: { checkoutId: 'cli-esc', note: 'csi\u009b2J' },
          headers: {
            [DLQ_HEADERS.originalTopic]: 'checkout.requested',
            [DLQ_HEADERS.error]: 'bad\x1b]0;owned\x07 input\r',
          },
        },
      ]);
    } finally {
      await upstream.close();
    }
    let listed = await stockade(sut.system.url, ['--json', 'dlq', 'list']);
    for (let tries = 0; tries < 100 && !listed.stdout.includes('cli-esc'); tries++)
      listed = await stockade(sut.system.url, ['--json', 'dlq', 'list']);
    const letter = (JSON.parse(listed.stdout) as { id: string; key: string }[]).find((entry) => entry.key === key);

    const human = await stockade(sut.system.url, ['dlq', 'list', '--topic', 'checkout.requested.dlq']);
    const shown = await stockade(sut.system.url, ['dlq', 'show', letter?.id as string]);

    const controlsOtherThanNewline = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;
    for (const output of [listed.stdout, human.stdout, shown.stdout])
      expect(output).not.toMatch(controlsOtherThanNewline);
    expect(human.stdout).toContain('key cli-esc\\x1b[31m\\rRED');
    expect(human.stdout).toContain('bad\\x1b]0;owned\\x07 input\\r');
    expect(shown.stdout).toContain('csi\\u009b2J');
  });

  it('given SKUs on the books, when `stockade rebuild stock-levels` runs, then the latest level of each SKU is republished to inventory.stock-levels while the system serves; an unknown projection exits 2', async () => {
    await sut.client.receiveStock('CLI-REBUILD', 4);
    const levels = SqliteMessageBus.open(join(sut.dataDir, 'messages.db'));
    const retained = async () =>
      (await levels.retainedMessages(['inventory.stock-levels'])).reduce(
        (sum, partition) => sum + partition.messages,
        0,
      );
    try {
      // The receipt's own level is relayed asynchronously: count from when the log is quiet.
      let before = await retained();
      for (let quiet = 0; quiet < 4;) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        const now = await retained();
        quiet = now === before ? quiet + 1 : 0;
        before = now;
      }

      const listed = await stockade(sut.system.url, ['rebuild']);
      const rebuilt = await stockade(sut.system.url, ['--json', 'rebuild', 'stock-levels']);
      const unknown = await stockade(sut.system.url, ['rebuild', 'orders']);

      const report = JSON.parse(rebuilt.stdout) as {
        keys: number;
        published: number;
        eventsRead: number;
        topic: string;
      };
      const skus = (await sut.client.listStock()).items.length;
      expect(listed).toMatchObject({ code: 0 });
      expect(listed.stdout).toContain('stock-levels  (inventory.stock-levels)');
      expect(rebuilt.code).toBe(0);
      expect(report).toMatchObject({ keys: skus, published: skus, topic: 'inventory.stock-levels' });
      expect(report.eventsRead).toBeGreaterThanOrEqual(skus);
      expect(await retained()).toBe(before + skus);
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toContain('unknown projection "orders"; one of: stock-levels');
      expect((await sut.client.stock('CLI-REBUILD')).available).toBe(4);
    } finally {
      await levels.close();
    }
  });

  it('given a wrong token, when a command runs, then it exits 4 and says how to set the token', async () => {
    const { code, stderr } = await stockade(sut.system.url, ['stuck'], { token: 'not-the-operator-token' });
    expect(code).toBe(4);
    expect(stderr).toContain('STOCKADE_OPERATOR_TOKEN');
  });

  it('given nothing listening, when a command runs, then it exits 5 naming the URL', async () => {
    const { code, stderr } = await stockade('http://127.0.0.1:1', ['stuck']);
    expect(code).toBe(5);
    expect(stderr).toContain('http://127.0.0.1:1');
  });

  it('given an unknown option, when the CLI runs, then it exits 2', async () => {
    expect((await stockade(sut.system.url, ['stuck', '--older-than', 'soon'])).code).toBe(2);
    expect((await stockade(sut.system.url, ['frobnicate'])).code).toBe(2);
  });
});
