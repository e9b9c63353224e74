/**
 * Orders terminal so far, from the server's Prometheus counters (one small render per poll, not one
 * request per order). Used where a count is all that is needed (write-amplification, the soak) and
 * polling the server is not measured: the bench's arms never poll /metrics while they are measured
 * (published-outcomes.ts).
 */
export async function terminalOrderCount(baseUrl: string): Promise<number> {
  const metrics = await (await fetch(`${baseUrl}/metrics`)).text();
  let total = 0;
  for (const match of metrics.matchAll(/^stockade_orders_terminal_total\{status="\w+"\} (\d+)/gm))
    total += Number(match[1]);
  return total;
}
