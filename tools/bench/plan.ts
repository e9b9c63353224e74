/**
 * The order of one arm's runs against another's: per block, the arms in order and then in
 * reverse (A B B A for two arms, A B C C B A for three), so a machine that drifts during a block
 * (thermal, a neighbour, a cache warming) weighs on every arm alike.
 */
export function abbaOrder<T>(arms: readonly T[], blocks: number): T[] {
  const block = [...arms, ...[...arms].reverse()];
  return Array.from({ length: blocks }, () => block).flat();
}

/**
 * The open loop's arrival rates when none are given: `steps` rates in geometric progression from
 * a tenth of the slowest arm's closed-loop maximum up to the fastest arm's, rounded to two
 * significant digits, shared by all arms so they are compared at the same arrival rates.
 */
export function rateLadder(closedLoopMaxima: readonly number[], steps: number): number[] {
  const maxima = closedLoopMaxima.filter((rate) => rate > 0);
  if (maxima.length === 0) return [];
  const low = Math.min(...maxima) / 10;
  const high = Math.max(...maxima);
  if (steps < 2) return [roundTo2Digits(high)];
  const ratio = Math.pow(high / low, 1 / (steps - 1));
  const rates = Array.from({ length: steps }, (_, i) => roundTo2Digits(low * Math.pow(ratio, i)));
  return [...new Set(rates)].filter((rate) => rate > 0);
}

function roundTo2Digits(value: number): number {
  const magnitude = Math.pow(10, Math.floor(Math.log10(value)) - 1);
  return Math.round(value / magnitude) * magnitude;
}
