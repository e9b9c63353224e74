import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CheckoutRequest } from '@stockade/contracts';
import { ChildProcessSystem, freePort } from '../client/child-process-system';
import { runClosedLoop } from './load/closed-loop';
import { httpIngress } from './load/http-ingress';
import { IngressLog } from './load/ingress';

/**
 * The most a server process can answer on this machine when the bench client shares its cores.
 * A checkout can never be accepted faster than this, so it bounds every accept → terminal figure.
 */
export interface HttpCeiling {
  readonly requests: number;
  /** A bare node:http server that parses the JSON body and answers 202: the client's and the kernel's cost. */
  readonly bareNodeHttpPerSecond: number;
  /** Stockade's own HTTP stack (Fastify, Nest, zod, error filter) rejecting an invalid checkout with 400. */
  readonly stockadeRejectedPerSecond: number;
}

// The smallest server that does what an accepting endpoint must: read the body, parse it, answer.
const BARE_SERVER = `
  const server = require('node:http').createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      JSON.parse(body);
      res.writeHead(202, { 'content-type': 'application/json' });
      res.end('{"orderId":"x"}');
    });
  });
  server.listen(0, '127.0.0.1', () => console.log(server.address().port));
`;

export async function measureHttpCeiling(requests: number, concurrency: number): Promise<HttpCeiling> {
  const checkouts: CheckoutRequest[] = Array.from({ length: requests }, (_, index) => ({
    checkoutId: `ceiling-${index}`,
    customerId: 'bench',
    lines: [{ sku: 'SKU-1', quantity: 1, unitPrice: 1 }],
  }));
  return {
    requests,
    bareNodeHttpPerSecond: await bareNodeHttp(checkouts, concurrency),
    stockadeRejectedPerSecond: await stockadeRejecting(checkouts, concurrency),
  };
}

/** Requests per second answered by `baseUrl` with the bench's HTTP client, `concurrency` in flight; and how many were refused. */
async function answeredPerSecond(
  baseUrl: string,
  checkouts: readonly CheckoutRequest[],
  concurrency: number,
): Promise<{ perSecond: number; refused: number }> {
  const log = new IngressLog();
  const ingress = httpIngress(baseUrl, log, { closedLoopConcurrency: concurrency, maxSockets: concurrency });
  const started = performance.now();
  await runClosedLoop(ingress, checkouts);
  const seconds = (performance.now() - started) / 1000;
  await ingress.close();
  return { perSecond: Math.round(checkouts.length / seconds), refused: log.failures };
}

async function bareNodeHttp(checkouts: readonly CheckoutRequest[], concurrency: number): Promise<number> {
  const server = spawn(process.execPath, ['-e', BARE_SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const [firstLine] = (await once(server.stdout, 'data')) as [Buffer];
    const load = await answeredPerSecond(
      `http://127.0.0.1:${Number(firstLine.toString().trim())}`,
      checkouts,
      concurrency,
    );
    if (load.refused) throw new Error(`the bare server failed ${load.refused} requests`);
    return load.perSecond;
  } finally {
    server.kill();
  }
}

async function stockadeRejecting(checkouts: readonly CheckoutRequest[], concurrency: number): Promise<number> {
  const dataDir = mkdtempSync(join(tmpdir(), 'stockade-ceiling-'));
  const server = new ChildProcessSystem(dataDir, await freePort(), { STOCKADE_LOG_LEVEL: 'error' });
  await server.start();
  try {
    // A zero quantity fails validation after the whole body is parsed: 400, and nothing is written.
    const invalid = checkouts.map((checkout) => ({
      ...checkout,
      lines: [{ sku: 'SKU-1', quantity: 0, unitPrice: 1 }],
    }));
    const load = await answeredPerSecond(server.url, invalid, concurrency);
    if (load.refused !== invalid.length)
      throw new Error(`expected every invalid checkout to be refused, ${invalid.length - load.refused} were accepted`);
    return load.perSecond;
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
