import { Agent, request } from 'node:http';

interface BatchAnswer {
  readonly status: number;
  readonly results: readonly { index: number; status: number }[];
}

/**
 * Posts the checkouts as NDJSON batches of `batchSize` (the batch ingress of POST /checkouts),
 * `concurrency` batches in flight. Checkouts answered 503 (back-pressure) are sent again after a
 * second, as a well-behaved publisher would; any other refusal counts as a failure. Latencies are
 * per batch request.
 */
export async function postBatches(
  baseUrl: string,
  path: string,
  bodies: readonly unknown[],
  batchSize: number,
  concurrency: number,
): Promise<{ seconds: number; latenciesMs: number[]; failures: number; retries: number }> {
  const url = new URL(path, baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const pending: (readonly unknown[])[] = [];
  for (let start = 0; start < bodies.length; start += batchSize) pending.push(bodies.slice(start, start + batchSize));
  const latenciesMs: number[] = [];
  let failures = 0;
  let retries = 0;
  let inFlight = 0;
  const started = performance.now();
  const worker = async () => {
    for (;;) {
      const batch = pending.shift();
      if (!batch) {
        if (inFlight === 0) return;
        await new Promise((resolve) => setTimeout(resolve, 50)); // others' 503s may come back
        continue;
      }
      inFlight++;
      const sent = performance.now();
      const answer = await postNdjson(url, batch.map((body) => JSON.stringify(body)).join('\n'), agent);
      latenciesMs.push(performance.now() - sent);
      if (answer.status !== 207) failures += batch.length;
      const refusedForNow = answer.results.filter((result) => result.status === 503).map((result) => batch[result.index]);
      failures += answer.results.filter((result) => result.status >= 300 && result.status !== 503).length;
      if (refusedForNow.length > 0) {
        retries += refusedForNow.length;
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        pending.push(refusedForNow);
      }
      inFlight--;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  agent.destroy();
  return { seconds: (performance.now() - started) / 1000, latenciesMs, failures, retries };
}

function postNdjson(url: URL, payload: string, agent: Agent): Promise<BatchAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/x-ndjson', 'content-length': Buffer.byteLength(payload) } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        const parsed = res.statusCode === 207 ? (JSON.parse(body) as { results: BatchAnswer['results'] }) : { results: [] };
        resolve({ status: res.statusCode ?? 0, results: parsed.results });
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}
