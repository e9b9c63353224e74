import { Command, InvalidArgumentError } from 'commander';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import type { EventStore } from '@stockade/event-store';
import { SqliteEventStore } from '@stockade/event-store/sqlite';
import { DEFAULT_SNAPSHOT_INTERVAL, STOP_SNAPSHOT_MIN_EVENTS } from '@stockade/inventory-service';
import { seededRandom } from '../client/seeded-random';
import { measureCatalogMemory } from './catalog-memory';
import { timeColdLoads } from './cold-load-timing';
import { appendWithoutSnapshots, writeStockHistory } from './stock-history';

const wholeNumber = (min: number) => (value: string) => {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < min)
    throw new InvalidArgumentError(`must be a whole number of at least ${min}`);
  return parsed;
};

const program = new Command('stockade-cold-start')
  .description(
    'Cold load of a SKU with a long history against a fresh one, with and without snapshots; memory of a large catalog in the writer. Run with node --expose-gc.',
  )
  .option('--events <n>', 'past events of the long SKU', wholeNumber(1), 1_000_000)
  .option('--interval <n>', 'snapshot interval (events)', wholeNumber(1), DEFAULT_SNAPSHOT_INTERVAL)
  .option('--open-holds <n>', 'reservations open on the long SKU at any time, about', wholeNumber(1), 20)
  .option('--repetitions <n>', 'cold loads per case with snapshots, and of the fresh SKU', wholeNumber(1), 9)
  .option(
    '--fold-repetitions <n>',
    'cold loads of the long SKU without snapshots (each folds every event)',
    wholeNumber(1),
    1,
  )
  .option('--skus <n>', 'catalog size for the memory measurement (0 skips it)', wholeNumber(0), 1_000_000)
  .option('--reservations <n>', 'open reservations for the memory measurement', wholeNumber(0), 100_000)
  .option('--pg-url <url>', 'also measure the cold loads on PostgreSQL (a schema of its own, dropped after)')
  .parse();

interface Options {
  events: number;
  interval: number;
  openHolds: number;
  repetitions: number;
  foldRepetitions: number;
  skus: number;
  reservations: number;
  pgUrl?: string;
}

type Opener = {
  readonly name: string;
  readonly open: () => Promise<EventStore>;
  readonly cleanUp: () => Promise<void>;
};

/** The cold-load cases on one store: fresh, long with the tails a stop and a crash leave, long without snapshots. */
async function coldLoads(opener: Opener, options: Options): Promise<void> {
  const random = seededRandom(7);
  const long = `LONG-${Date.now()}`;
  const fresh = `FRESH-${Date.now()}`;
  const store = await opener.open();
  let started = performance.now();
  const history = await writeStockHistory(store, long, {
    events: options.events,
    snapshotInterval: options.interval,
    openHolds: options.openHolds,
    random,
  });
  await writeStockHistory(store, fresh, {
    events: 5,
    snapshotInterval: options.interval,
    openHolds: options.openHolds,
    random,
  });
  const snapshotVersionLeft = (await store.snapshotStore().load(history.stream))?.version ?? -1;
  console.log(
    `\n## ${opener.name}: wrote ${history.version + 1} events of ${long} in ${Math.round(performance.now() - started) / 1000} s; the writer's last snapshot is at version ${snapshotVersionLeft}`,
  );

  const repetitions = options.repetitions;
  const time = (sku: string, snapshotInterval: number, count = repetitions) =>
    timeColdLoads(opener.open, sku, { snapshotInterval, repetitions: count });
  const report = (label: string, figures: Awaited<ReturnType<typeof time>>, baseline?: number) =>
    console.log(
      JSON.stringify({
        case: label,
        ...figures,
        ...(baseline ? { ratioToFresh: Math.round((figures.medianMs / baseline) * 100) / 100 } : {}),
      }),
    );

  const freshFigures = await time(fresh, options.interval);
  report('fresh SKU (5 events), snapshots on', freshFigures);
  report(
    `long SKU, as the writer's interval left it (tail ${history.version - snapshotVersionLeft})`,
    await time(long, options.interval),
    freshFigures.medianMs,
  );
  await history.caches.stock.snapshotStreamsBehind(1, () => true);
  await history.caches.stockSnapshots?.whenSaved();
  report(
    'long SKU, after a graceful stop (snapshot at the head)',
    await time(long, options.interval),
    freshFigures.medianMs,
  );
  // Tails only grow: each case appends to the one before, told to no cache (no snapshot).
  const tails = [
    {
      tail: STOP_SNAPSHOT_MIN_EVENTS - 1,
      label: 'after a graceful stop, worst case (the longest tail a stop leaves without a snapshot)',
    },
    { tail: options.interval - 1, label: 'after a crash, worst case (one event short of the next snapshot)' },
  ];
  let head: { state: typeof history.state; version: number } = history;
  for (const { tail, label } of tails.filter(({ tail }, index) => tail > 0 && tail > (tails[index - 1]?.tail ?? 0))) {
    head = await appendWithoutSnapshots(store, long, head, tail - (head.version - history.version), {
      openHolds: options.openHolds,
      random,
    });
    report(`long SKU, ${label}: tail ${tail}`, await time(long, options.interval), freshFigures.medianMs);
  }
  report('fresh SKU (5 events), snapshots off', await time(fresh, 0));
  started = performance.now();
  report(
    'long SKU, snapshots off (every event folded)',
    await time(long, 0, options.foldRepetitions),
    freshFigures.medianMs,
  );
  console.log(`(the folds without snapshots took ${Math.round(performance.now() - started) / 1000} s in all)`);
  await store.close();
  await opener.cleanUp();
}

async function main(): Promise<void> {
  const options = program.opts<Options>();
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc: the memory figures need a full GC before each reading');
  console.log(
    `# Cold start and long histories: ${cpus().length} × ${cpus()[0]?.model}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
  );
  console.log(JSON.stringify(options));
  const dir = mkdtempSync(join(tmpdir(), 'stockade-cold-start-'));
  try {
    await coldLoads(
      {
        name: 'SQLite',
        open: async () => SqliteEventStore.open(join(dir, 'inventory.db')),
        cleanUp: async () => undefined,
      },
      options,
    );
    if (options.pgUrl) await coldLoads(await postgresOpener(options.pgUrl), options);
    if (options.skus > 0) {
      console.log(
        `\n## Memory: ${options.skus} SKUs and ${options.reservations} open reservations in the writer (SQLite)`,
      );
      const store = SqliteEventStore.open(join(dir, 'catalog.db'));
      console.log(
        JSON.stringify(
          await measureCatalogMemory(store, gc, {
            skus: options.skus,
            reservations: options.reservations,
            random: seededRandom(11),
          }),
          null,
          2,
        ),
      );
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function postgresOpener(connectionString: string): Promise<Opener> {
  const { PostgresEventStore } = await import('@stockade/event-store/postgres');
  const { Client } = await import('pg');
  const schema = `cold_start_${process.pid}`;
  return {
    name: `PostgreSQL (schema ${schema})`,
    open: () => PostgresEventStore.open({ connectionString, schema }),
    cleanUp: async () => {
      const client = new Client({ connectionString });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    },
  };
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
