import { Command } from 'commander';
import { wholeNumber } from '../client/cli-numbers';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, get, IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChildProcessSystem, freePort, OPERATOR_TOKEN } from '../client/child-process-system';
import { StockadeClient } from '../client/stockade-client';
import { newLatencyHistogram, recordMs, summarize, LatencySummary } from './measure/latency';

/**
 * `npm run bench:live`: live stock streams under a hot-SKU sale (issue 9). The embedded Stockade
 * runs as its own process; this process opens the SSE clients (`GET /inventory/stream?skus=HOT`),
 * some of which stop reading, and sells the hot SKU at a steady rate. Measured per run: the delay
 * from each change's event time (`at`, stamped when the writer took the command, just before the
 * append) to its arrival at a client, the server's memory (RSS idle, with the streams open, peak)
 * and CPU, and the levels waiting for the slow clients. A run without streams is the baseline.
 */
const wholeOrZero = wholeNumber(0);

const program = new Command('bench-live')
  .description('1,000 SSE clients on loopback during a hot-SKU sale: delivery delay and server memory')
  .option('--clients <n>', 'SSE clients following the hot SKU', wholeOrZero, 1000)
  .option(
    '--slow <n>',
    'of them, clients that stop reading after the first level (their levels must coalesce, not pile up)',
    wholeOrZero,
    50,
  )
  .option('--checkouts <n>', 'checkouts of one unit of the hot SKU (its stock is exactly this)', wholeOrZero, 5000)
  .option('--rate <n>', 'checkouts per second (0: as fast as 64 concurrent requests go)', wholeOrZero, 250)
  .option('--no-baseline', 'skip the run without streams');

interface RunFigures {
  readonly clients: number;
  readonly slow: number;
  readonly checkouts: number;
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly rssIdleMiB: number;
  readonly rssWithStreamsMiB: number;
  readonly rssPeakMiB: number;
  readonly maxBacklog: number;
  readonly levelsPerFastClient: { readonly min: number; readonly median: number; readonly max: number };
  readonly levelsPerSlowClient: number;
  readonly delay?: LatencySummary;
}

const HOT = 'HOT-LIVE';

async function run(clients: number, slow: number, checkouts: number, rate: number): Promise<RunFigures> {
  const dataDir = mkdtempSync(join(tmpdir(), 'stockade-bench-live-'));
  const system = new ChildProcessSystem(dataDir, await freePort(), {
    STOCKADE_MAX_LIVE_STREAMS: String(clients + 100),
    STOCKADE_MAX_LIVE_STREAMS_PER_CALLER: String(clients + 100),
    STOCKADE_SUPPLIER_SIMULATOR: 'false',
    STOCKADE_MAX_ORDERS_IN_FLIGHT: '100000',
  });
  await system.start();
  const agent = new Agent({ keepAlive: false, maxSockets: Infinity });
  const streams: SseClient[] = [];
  try {
    const client = new StockadeClient(system.url, OPERATOR_TOKEN);
    await client.receiveStock(HOT, checkouts);
    await settle();
    const rssIdleMiB = rssMiB(system.pid);

    for (let index = 0; index < clients; index++)
      streams.push(new SseClient(`${system.url}/inventory/stream?skus=${HOT}`, agent, index < slow));
    await Promise.all(streams.map((stream) => stream.firstLevel));
    await settle();
    const rssWithStreamsMiB = rssMiB(system.pid);

    let maxBacklog = 0;
    const sampler = setInterval(() => {
      void client.metricsText().then((text) => {
        const backlog = Number(/^stockade_live_stream_backlog (\d+)/m.exec(text)?.[1] ?? 0);
        maxBacklog = Math.max(maxBacklog, backlog);
      });
    }, 250);
    const cpuBefore = system.cpuSeconds() ?? 0;
    const started = performance.now();
    await sell(system.url, checkouts, rate);
    // Sold out and every hold committed: the last level every fast client must see is 0 available, 0 reserved.
    const fast = streams.filter((stream) => !stream.slow);
    await until(() => fast.every((stream) => stream.sawSoldOut), 'every fast client to see the sell-out', 120_000);
    const seconds = (performance.now() - started) / 1000;
    const cpuSeconds = (system.cpuSeconds() ?? 0) - cpuBefore;
    clearInterval(sampler);

    const histogram = newLatencyHistogram();
    for (const stream of fast) for (const delayMs of stream.delaysMs) recordMs(histogram, delayMs);
    const counts = fast.map((stream) => stream.levels).sort((a, b) => a - b);
    return {
      clients,
      slow,
      checkouts,
      seconds: round(seconds),
      cpuSeconds: round(cpuSeconds),
      rssIdleMiB,
      rssWithStreamsMiB,
      rssPeakMiB: system.peakMemoryMiB() ?? 0,
      maxBacklog,
      levelsPerFastClient: {
        min: counts[0] ?? 0,
        median: counts[Math.floor(counts.length / 2)] ?? 0,
        max: counts.at(-1) ?? 0,
      },
      levelsPerSlowClient: Math.max(0, ...streams.filter((stream) => stream.slow).map((stream) => stream.levels)),
      ...(histogram.totalCount > 0 ? { delay: summarize(histogram) } : {}),
    };
  } finally {
    streams.forEach((stream) => stream.close());
    agent.destroy();
    await system.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** One SSE client on node:http (lighter than fetch for a thousand of them); a slow one stops reading after its first level. */
class SseClient {
  readonly delaysMs: number[] = [];
  levels = 0;
  sawSoldOut = false;
  readonly firstLevel: Promise<void>;
  private response: IncomingMessage | undefined;
  private buffer = '';

  constructor(
    url: string,
    agent: Agent,
    readonly slow: boolean,
  ) {
    this.firstLevel = new Promise((resolve, reject) => {
      const request = get(url, { agent, headers: { accept: 'text/event-stream' } }, (response) => {
        this.response = response;
        if (response.statusCode !== 200) reject(new Error(`stream answered ${response.statusCode}`));
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          this.buffer += chunk;
          this.parse();
          if (this.levels > 0) {
            resolve();
            // The socket's buffers fill and the server's writes wait: what it holds for us is then coalesced.
            if (this.slow) response.pause();
          }
        });
        response.on('error', () => undefined);
      });
      request.on('error', reject);
    });
  }

  close(): void {
    this.response?.destroy();
  }

  private parse(): void {
    let boundary: number;
    while ((boundary = this.buffer.indexOf('\n\n')) >= 0) {
      const block = this.buffer.slice(0, boundary);
      this.buffer = this.buffer.slice(boundary + 2);
      if (!block.startsWith('event: level')) continue;
      this.levels++;
      const at = /"at":"([^"]+)"/.exec(block)?.[1];
      if (at !== undefined) this.delaysMs.push(Date.now() - Date.parse(at));
      if (block.includes('"available":0') && block.includes('"reserved":0')) this.sawSoldOut = true;
    }
  }
}

/** One-unit checkouts of the hot SKU at `rate` per second (0: flat out), 64 in flight at most. */
async function sell(url: string, checkouts: number, rate: number): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    for (;;) {
      const index = next++;
      if (index >= checkouts) return;
      if (rate > 0) {
        const due = started + (index * 1000) / rate;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      }
      await post(url, agent, {
        checkoutId: `live-${index}`,
        customerId: `c${index}`,
        lines: [{ sku: HOT, quantity: 1, unitPrice: 1 }],
      });
    }
  };
  await Promise.all(Array.from({ length: 64 }, worker));
  agent.destroy();
}

async function post(url: string, agent: Agent, body: unknown): Promise<void> {
  const { request } = await import('node:http');
  await new Promise<void>((resolve, reject) => {
    const payload = JSON.stringify(body);
    const req = request(
      `${url}/checkouts`,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
      },
      (response) => {
        response.resume();
        response.on('end', () =>
          response.statusCode === 202 ? resolve() : reject(new Error(`checkout answered ${response.statusCode}`)),
        );
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

function rssMiB(pid: number | undefined): number {
  if (pid === undefined) return 0;
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Math.round(Number(match[1]) / 1024) : 0;
}

const round = (value: number) => Math.round(value * 100) / 100;
const settle = () => new Promise((resolve) => setTimeout(resolve, 1_000));

async function until(condition: () => boolean, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function main(): Promise<void> {
  const options = program
    .parse()
    .opts<{ clients: number; slow: number; checkouts: number; rate: number; baseline: boolean }>();
  const runs: RunFigures[] = [];
  if (options.baseline) runs.push(await run(0, 0, options.checkouts, options.rate));
  runs.push(await run(options.clients, Math.min(options.slow, options.clients), options.checkouts, options.rate));
  for (const figures of runs) {
    const delay = figures.delay;
    console.log(
      [
        `${figures.clients} streams (${figures.slow} not reading), ${figures.checkouts} checkouts at ${options.rate || 'max'}/s: ${figures.seconds} s, server CPU ${figures.cpuSeconds} s`,
        `  server RSS: idle ${figures.rssIdleMiB} MiB, streams open ${figures.rssWithStreamsMiB} MiB, peak ${figures.rssPeakMiB} MiB; most levels waiting for slow clients ${figures.maxBacklog}`,
        delay
          ? `  delay event → client: p50 ${delay.p50Ms} ms, p99 ${delay.p99Ms} ms, p99.9 ${delay.p999Ms} ms, max ${delay.maxMs} ms over ${delay.count} levels`
          : '  (no streams)',
        figures.clients > 0
          ? `  levels per reading client: min ${figures.levelsPerFastClient.min}, median ${figures.levelsPerFastClient.median}, max ${figures.levelsPerFastClient.max}; per slow client at most ${figures.levelsPerSlowClient}`
          : '',
      ]
        .filter(Boolean)
        .join('\n'),
    );
  }
  console.log(
    JSON.stringify(
      runs.map(({ delay, ...rest }) => ({
        ...rest,
        ...(delay
          ? {
              delay: {
                p50Ms: delay.p50Ms,
                p99Ms: delay.p99Ms,
                p999Ms: delay.p999Ms,
                maxMs: delay.maxMs,
                count: delay.count,
              },
            }
          : {}),
      })),
    ),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
