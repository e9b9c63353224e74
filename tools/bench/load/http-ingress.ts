import { Agent, request } from 'node:http';
import type { CheckoutRequest } from '@stockade/contracts';
import { epochMs } from './clock';
import { Ingress, IngressLog } from './ingress';

/**
 * One JSON `POST /checkouts` per checkout over keep-alive connections (node:http, not fetch: the
 * client shares the machine with the server and must stay cheap). The same client for Stockade
 * and the HTTP baseline. A 503 with Retry-After (back-pressure) is waited out and sent again, as
 * a well-behaved publisher would; any other status above 299 is a failure.
 */
export function httpIngress(
  baseUrl: string,
  log: IngressLog,
  options: { closedLoopConcurrency: number; maxSockets: number },
): Ingress {
  const url = new URL('/checkouts', baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: options.maxSockets });
  return {
    unitSize: 1,
    closedLoopConcurrency: options.closedLoopConcurrency,
    async send(deliveries, intendedAtMs) {
      for (const checkout of deliveries) await sendOne(checkout, intendedAtMs);
    },
    async close() {
      agent.destroy();
    },
  };

  async function sendOne(checkout: CheckoutRequest, intendedAtMs: number): Promise<void> {
    const payload = JSON.stringify(checkout);
    try {
      let answer = await post(url, payload, agent);
      while (answer.status === 503 && answer.retryAfterSeconds !== undefined) {
        log.retries++;
        await new Promise((resolve) => setTimeout(resolve, answer.retryAfterSeconds! * 1000));
        answer = await post(url, payload, agent);
      }
      if (answer.status >= 300) log.failed(checkout.checkoutId, `HTTP ${answer.status}`);
      else log.answered(checkout.checkoutId, intendedAtMs, epochMs());
    } catch (error) {
      log.failed(checkout.checkoutId, (error as Error).message);
    }
  }
}

function post(url: URL, payload: string, agent: Agent): Promise<{ status: number; retryAfterSeconds?: number }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
      },
      (res) => {
        res.resume();
        const retryAfter = Number(res.headers['retry-after']);
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            ...(Number.isFinite(retryAfter) ? { retryAfterSeconds: retryAfter } : {}),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}
