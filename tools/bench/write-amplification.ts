import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { Command, InvalidArgumentError } from 'commander';
import { DIST, freePort, OPERATOR_TOKEN } from '../client/child-process-system';
import { terminalOrderCount } from './arms/terminal-order-count';

/**
 * What one completed checkout writes: events per store and stream kind, bus messages per topic,
 * and their bytes (type, data and metadata of an event; value and headers of a message), read
 * from the SQLite files after a run of the embedded app. `--dist` runs another build (an older
 * release in a worktree), so the ADR's before/after counts come from the same tool.
 */
const program = new Command('stockade-write-amplification')
  .option('--dist <dir>', 'the built Stockade to run (its dist/ directory)', DIST)
  .option(
    '--checkouts <n>',
    'single-line checkouts, all completing',
    (value) => {
      const parsed = Number(value);
      if (!Number.isInteger(parsed) || parsed < 1) throw new InvalidArgumentError('must be a positive whole number');
      return parsed;
    },
    1000,
  )
  .parse();

interface Row {
  readonly kind: string;
  readonly count: number;
  readonly bytes: number;
  /** Events only: appends, counted as distinct (stream, causing message); several events of one append share both. */
  readonly appends?: number;
}

async function main(): Promise<void> {
  const { dist, checkouts } = program.opts<{ dist: string; checkouts: number }>();
  const dataDir = mkdtempSync(join(tmpdir(), 'stockade-amplification-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const server = spawn(process.execPath, [join(resolve(dist), 'apps', 'stockade', 'src', 'main.js')], {
    env: {
      ...process.env,
      PORT: String(port),
      STOCKADE_DATA_DIR: dataDir,
      STOCKADE_OPERATOR_TOKEN: OPERATOR_TOKEN,
      STOCKADE_LOG_LEVEL: 'error',
    },
    stdio: 'inherit',
  });
  try {
    await waitUntilHealthy(url);
    await post(url, '/inventory/AMP-LAMP/receipts', { quantity: checkouts });
    const bodies = Array.from({ length: checkouts }, (_, i) => ({
      checkoutId: `amp-${i}`,
      customerId: `c-${i % 50}`,
      paymentToken: 'tok-ok',
      lines: [{ sku: 'AMP-LAMP', quantity: 1, unitPrice: 9.5 }],
    }));
    let next = 0;
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (next < bodies.length) await post(url, '/checkouts', bodies[next++]);
      }),
    );
    while ((await terminalOrderCount(url)) < checkouts)
      await new Promise((resolvePause) => setTimeout(resolvePause, 50));
    // The relay of the last outcome runs after the order turned terminal.
    await new Promise((resolvePause) => setTimeout(resolvePause, 1000));
  } finally {
    server.kill('SIGTERM');
    await new Promise((resolveExit) => server.once('exit', resolveExit));
  }
  const rows = [
    ...eventRows(join(dataDir, 'orders.db'), 'orders'),
    ...eventRows(join(dataDir, 'inventory.db'), 'inventory'),
    ...messageRows(join(dataDir, 'messages.db')),
  ];
  rmSync(dataDir, { recursive: true, force: true });
  const perCheckout = rows.map((row) => ({
    kind: row.kind,
    perCheckout: round(row.count / checkouts),
    bytesPerCheckout: Math.round(row.bytes / checkouts),
    ...(row.appends === undefined ? {} : { appendsPerCheckout: round(row.appends / checkouts) }),
  }));
  console.table(perCheckout);
  const total = (prefix: string) =>
    rows
      .filter((row) => row.kind.startsWith(prefix))
      .reduce((sum, row) => ({ count: sum.count + row.count, bytes: sum.bytes + row.bytes }), { count: 0, bytes: 0 });
  const events = [total('orders'), total('inventory')].reduce((a, b) => ({
    count: a.count + b.count,
    bytes: a.bytes + b.bytes,
  }));
  const messages = total('message');
  const appends = rows.reduce((sum, row) => sum + (row.appends ?? 0), 0);
  console.log(
    JSON.stringify(
      {
        checkouts,
        eventsPerCheckout: round(events.count / checkouts),
        eventBytesPerCheckout: Math.round(events.bytes / checkouts),
        appendsPerCheckout: round(appends / checkouts),
        messagesPerCheckout: round(messages.count / checkouts),
        messageBytesPerCheckout: Math.round(messages.bytes / checkouts),
      },
      null,
      2,
    ),
  );
}

function eventRows(file: string, store: string): Row[] {
  const db = new Database(file, { readonly: true });
  try {
    return db
      .prepare(
        `SELECT substr(stream, 1, instr(stream, '-')) AS prefix, count(*) AS count, sum(length(type) + length(data) + length(metadata)) AS bytes,
           count(DISTINCT stream || ' ' || coalesce(json_extract(metadata, '$.causationId'), id)) AS appends
         FROM events WHERE stream NOT LIKE 'stock-AMP-LAMP' OR type NOT LIKE 'StockReceived%' GROUP BY prefix`,
      )
      .all()
      .map((row) => {
        const { prefix, count, bytes, appends } = row as {
          prefix: string;
          count: number;
          bytes: number;
          appends: number;
        };
        return { kind: `${store} ${prefix}*`, count, bytes, appends };
      });
  } finally {
    db.close();
  }
}

/** Offsets continue after retention deletes rows, so the count is the end offset; bytes are of the rows still there (the run is shorter than a retention pass). */
function messageRows(file: string): Row[] {
  const db = new Database(file, { readonly: true });
  try {
    return db
      .prepare(
        'SELECT topic, count(*) AS count, sum(length(value) + coalesce(length(headers), 0)) AS bytes FROM bus_messages GROUP BY topic',
      )
      .all()
      .map((row) => {
        const { topic, count, bytes } = row as { topic: string; count: number; bytes: number };
        return { kind: `message ${topic}`, count, bytes };
      });
  } finally {
    db.close();
  }
}

async function post(url: string, path: string, body: unknown): Promise<void> {
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${OPERATOR_TOKEN}` },
    body: JSON.stringify(body),
  });
  if (response.status >= 400) throw new Error(`POST ${path}: ${response.status} ${await response.text()}`);
}

async function waitUntilHealthy(url: string): Promise<void> {
  for (let attempt = 0; attempt < 600; attempt++) {
    if (
      await fetch(`${url}/health`).then(
        (response) => response.ok,
        () => false,
      )
    )
      return;
    await new Promise((resolvePause) => setTimeout(resolvePause, 50));
  }
  throw new Error('the server did not become healthy');
}

const round = (value: number) => Math.round(value * 100) / 100;

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
