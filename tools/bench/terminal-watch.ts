/**
 * Reads the server's Prometheus counters until `expected` orders are terminal; returns when
 * that happened. Polling /metrics costs the server one small render per 50 ms, not one
 * request per order.
 */
export async function waitForTerminalOrders(baseUrl: string, expected: number, timeoutMs: number): Promise<{ at: number; byStatus: Record<string, number> }> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const byStatus = parseTerminalCounts(await (await fetch(`${baseUrl}/metrics`)).text());
    const total = Object.values(byStatus).reduce((sum, n) => sum + n, 0);
    if (total >= expected) return { at: performance.now(), byStatus };
    if (performance.now() > deadline) throw new Error(`only ${total} of ${expected} orders terminal after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export function parseTerminalCounts(metrics: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const match of metrics.matchAll(/^stockade_orders_terminal_total\{status="(\w+)"\} (\d+)/gm)) counts[match[1] as string] = Number(match[2]);
  return counts;
}

export function histogramQuantile(metrics: string, name: string, q: number): number | undefined {
  const buckets = [...metrics.matchAll(new RegExp(`^${name}_bucket\\{le="([^"]+)"\\} (\\d+)`, 'gm'))].map((m) => ({ le: m[1] === '+Inf' ? Infinity : Number(m[1]), count: Number(m[2]) }));
  const total = buckets.at(-1)?.count ?? 0;
  if (total === 0) return undefined;
  return buckets.find((bucket) => bucket.count >= q * total)?.le;
}
