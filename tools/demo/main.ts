import { Command } from 'commander';
import { wholeNumber } from '../client/cli-numbers';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedSystem } from '@stockade/embedded';
import { loadConfig } from '@stockade/runtime';
import { StockadeClient } from '../client/stockade-client';
import { runFlashSale } from './flash-sale';

const positiveInt = wholeNumber(1);

const program = new Command('stockade-demo')
  .description('Seeds a small catalog, races simulated shoppers for limited stock, and checks nothing was oversold.')
  .option('--url <url>', 'a running Stockade (default: start an embedded one with a temporary data directory)')
  .option('--operator-token <token>', 'operator token of the running Stockade (env STOCKADE_OPERATOR_TOKEN)')
  .option(
    '--api-token <token>',
    "the shoppers' token where the running Stockade is closed (env STOCKADE_API_TOKEN); without it they are anonymous, paced by its per-address rate limit",
  )
  .option('--shoppers <n>', 'simulated shoppers racing at once', positiveInt, 300)
  .option('--seed <n>', "seed for the shoppers' choices", positiveInt, 42)
  .option(
    '--live',
    'a sale to watch on /shop and /dashboard: thresholds and reorder policies first, one shopper every 50 ms, and the simulated supplier restocks',
    false,
  )
  .parse();

async function main(): Promise<void> {
  const options = program.opts<{
    url?: string;
    operatorToken?: string;
    apiToken?: string;
    shoppers: number;
    seed: number;
    live: boolean;
  }>();
  let stop = async () => undefined as void;
  let client: StockadeClient;
  if (options.url) {
    const token = options.operatorToken ?? process.env.STOCKADE_OPERATOR_TOKEN;
    if (!token)
      throw new Error('--operator-token (or STOCKADE_OPERATOR_TOKEN) is needed to receive stock on a running Stockade');
    client = new StockadeClient(
      options.url.replace(/\/$/, ''),
      token,
      options.apiToken ?? process.env.STOCKADE_API_TOKEN,
    );
  } else {
    const dataDir = mkdtempSync(join(tmpdir(), 'stockade-demo-'));
    // The simulated shoppers all come from this one address: limits per address would pace the race, not show it.
    const config = loadConfig({
      ...process.env,
      PORT: '0',
      STOCKADE_DATA_DIR: dataDir,
      STOCKADE_QUIET: 'true',
      STOCKADE_RATE_LIMIT_PER_SECOND: '0',
      STOCKADE_MAX_CONNECTIONS_PER_ADDRESS: '0',
    });
    const system = await startEmbeddedSystem(config);
    client = new StockadeClient(system.url, config.STOCKADE_OPERATOR_TOKEN);
    stop = async () => {
      await system.close();
      rmSync(dataDir, { recursive: true, force: true });
    };
    console.log(`embedded Stockade on ${system.url} (data in ${dataDir})`);
    if (options.live) {
      console.log(`operator token: ${config.STOCKADE_OPERATOR_TOKEN}`);
      console.log(
        `open ${system.url}/shop and ${system.url}/dashboard now; the sale starts in 10 s and the system stays up until Ctrl-C`,
      );
      await new Promise((resolve) => setTimeout(resolve, 10_000));
      const close = stop;
      stop = async () => {
        console.log('still serving the pages; Ctrl-C to stop');
        await new Promise((resolve) => process.once('SIGINT', resolve));
        await close();
      };
    }
  }
  try {
    if (options.live)
      console.log(
        `watch it live: ${client.baseUrl}/shop and ${client.baseUrl}/dashboard (sign in with the operator token)`,
      );
    console.log(`racing ${options.shoppers} shoppers for limited stock…`);
    const summary = await runFlashSale(client, {
      shoppers: options.shoppers,
      seed: options.seed,
      ...(options.live ? { replenish: true, paceMs: 50 } : {}),
    });
    console.table(summary.skus);
    console.log(
      [
        `shoppers:   ${summary.shoppers} (all terminal in ${summary.elapsedMs} ms; not terminal: ${summary.notTerminal})`,
        `completed:  ${summary.completed}`,
        `rejected:   ${summary.rejected}${summary.sampleRejection ? `  e.g. "${summary.sampleRejection}"` : ''}`,
        `cancelled:  ${summary.cancelled} (payment declined or shopper cancelled; reservations released)`,
        `units sold: ${summary.skus.reduce((s, k) => s + k.unitsSold, 0)} of ${summary.skus.reduce((s, k) => s + k.availableAtStart, 0)} available${options.live ? ` + ${summary.skus.reduce((s, k) => s + k.receivedDuringSale, 0)} delivered by the supplier during the sale` : ''}`,
        `oversold:   ${summary.oversold}`,
      ].join('\n'),
    );
    if (options.live) {
      // Restocks arrive during the sale, so the books are checked by the system's own invariant check.
      const report = await client.check();
      console.log(
        `invariant check over ${report.skus} SKUs and ${report.orders} orders: ${report.ok ? 'ok' : `${report.findings.length} findings`}`,
      );
      for (const item of (await client.replenishment()).items) {
        console.log(
          `  ${item.sku}: ${item.available} available, ${item.lowStockAlert ? 'LOW STOCK' : 'no alert'}, ${item.openPurchaseOrder ? `purchase order ${item.openPurchaseOrder.purchaseOrderId} open` : 'no open purchase order'}`,
        );
      }
      if (!report.ok) process.exitCode = 1;
    }
    if (summary.oversold !== 0 || summary.notTerminal !== 0) process.exitCode = 1;
  } finally {
    await stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
