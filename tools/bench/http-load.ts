import { Agent, request } from 'node:http';

/**
 * Posts JSON bodies with a fixed number in flight over keep-alive connections (node:http, not
 * fetch: the load generator shares the machine with the server and must stay cheap).
 */
export async function postAll(
  baseUrl: string,
  path: string,
  bodies: readonly unknown[],
  concurrency: number,
  headers: Record<string, string> = {},
): Promise<{ seconds: number; latenciesMs: number[]; failures: number; retries: number }> {
  const url = new URL(path, baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const latenciesMs: number[] = [];
  let failures = 0;
  let retries = 0;
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < bodies.length) {
      const payload = JSON.stringify(bodies[next++]);
      const sent = performance.now();
      let answer = await post(url, payload, agent, headers);
      // Back-pressure: a well-behaved publisher waits as told and sends the same checkout again.
      while (answer.status === 503 && answer.retryAfterSeconds !== undefined) {
        retries++;
        await new Promise((resolve) => setTimeout(resolve, answer.retryAfterSeconds! * 1000));
        answer = await post(url, payload, agent, headers);
      }
      latenciesMs.push(performance.now() - sent);
      if (answer.status >= 300) failures++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  agent.destroy();
  return { seconds: (performance.now() - started) / 1000, latenciesMs, failures, retries };
}

function post(url: URL, payload: string, agent: Agent, headers: Record<string, string>): Promise<{ status: number; retryAfterSeconds?: number }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), ...headers } }, (res) => {
      res.resume();
      const retryAfter = Number(res.headers['retry-after']);
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ...(Number.isFinite(retryAfter) ? { retryAfterSeconds: retryAfter } : {}) }));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}
