import { Agent, request } from 'node:http';
import type { CheckoutRequest } from '@stockade/contracts';
import { epochMs } from './clock';
import { Ingress, IngressLog } from './ingress';

interface BatchAnswer {
  readonly status: number;
  readonly results: readonly { index: number; status: number }[];
}

/**
 * Stockade's batch ingress: up to `batchSize` checkouts per NDJSON `POST /checkouts`, answered 207
 * with each checkout on its own. Checkouts answered 503 (back-pressure) are sent again after a
 * second; any other refusal is a failure.
 */
export function ndjsonIngress(
  baseUrl: string,
  log: IngressLog,
  options: { batchSize: number; closedLoopConcurrency: number },
): Ingress {
  const url = new URL('/checkouts', baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  return {
    unitSize: options.batchSize,
    closedLoopConcurrency: options.closedLoopConcurrency,
    async send(deliveries, intendedAtMs) {
      let pending: readonly CheckoutRequest[] = deliveries;
      while (pending.length > 0) {
        let answer: BatchAnswer;
        try {
          answer = await postNdjson(url, pending.map((checkout) => JSON.stringify(checkout)).join('\n'), agent);
        } catch (error) {
          pending.forEach((checkout) => log.failed(checkout.checkoutId, (error as Error).message));
          return;
        }
        if (answer.status !== 207) {
          pending.forEach((checkout) => log.failed(checkout.checkoutId, `HTTP ${answer.status}`));
          return;
        }
        const now = epochMs();
        const refusedForNow: CheckoutRequest[] = [];
        for (const result of answer.results) {
          const checkout = pending[result.index] as CheckoutRequest;
          if (result.status === 503) refusedForNow.push(checkout);
          else if (result.status >= 300) log.failed(checkout.checkoutId, `HTTP ${result.status} in a batch`);
          else log.answered(checkout.checkoutId, intendedAtMs, now);
        }
        if (refusedForNow.length > 0) {
          log.retries += refusedForNow.length;
          await new Promise((resolve) => setTimeout(resolve, 1_000));
        }
        pending = refusedForNow;
      }
    },
    async close() {
      agent.destroy();
    },
  };
}

function postNdjson(url: URL, payload: string, agent: Agent): Promise<BatchAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/x-ndjson', 'content-length': Buffer.byteLength(payload) },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => {
          const parsed =
            res.statusCode === 207 ? (JSON.parse(body) as { results: BatchAnswer['results'] }) : { results: [] };
          resolve({ status: res.statusCode ?? 0, results: parsed.results });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}
