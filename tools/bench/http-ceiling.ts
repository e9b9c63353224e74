import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChildProcessSystem, freePort } from '../client/child-process-system';
import { postAll } from './http-load';

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
  const checkouts = Array.from({ length: requests }, (_, index) => ({
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

async function bareNodeHttp(checkouts: readonly object[], concurrency: number): Promise<number> {
  const server = spawn(process.execPath, ['-e', BARE_SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const [firstLine] = (await once(server.stdout, 'data')) as [Buffer];
    const load = await postAll(`http://127.0.0.1:${Number(firstLine.toString().trim())}`, '/checkouts', checkouts, concurrency);
    if (load.failures) throw new Error(`the bare server failed ${load.failures} requests`);
    return Math.round(checkouts.length / load.seconds);
  } finally {
    server.kill();
  }
}

async function stockadeRejecting(checkouts: readonly object[], concurrency: number): Promise<number> {
  const dataDir = mkdtempSync(join(tmpdir(), 'stockade-ceiling-'));
  const server = new ChildProcessSystem(dataDir, await freePort(), { STOCKADE_LOG_LEVEL: 'error' });
  await server.start();
  try {
    // A zero quantity fails validation after the whole body is parsed: 400, and nothing is written.
    const invalid = checkouts.map((checkout) => ({ ...checkout, lines: [{ sku: 'SKU-1', quantity: 0, unitPrice: 1 }] }));
    const load = await postAll(server.url, '/checkouts', invalid, concurrency);
    if (load.failures !== invalid.length) throw new Error(`expected every invalid checkout to be refused, ${invalid.length - load.failures} were accepted`);
    return Math.round(invalid.length / load.seconds);
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
