/**
 * Draws ranks 0..n-1 with P(rank k) ∝ 1 / (k + 1)^exponent: a few SKUs are wanted often and most
 * rarely, as in a real catalog (Zipf's law; exponent 1 is the classic shape).
 */
export function zipfSampler(n: number, exponent: number, random: () => number): () => number {
  if (!Number.isInteger(n) || n < 1) throw new Error(`a Zipf sampler needs at least one rank, got ${n}`);
  const cumulative = new Float64Array(n);
  let total = 0;
  for (let rank = 0; rank < n; rank++) {
    total += 1 / Math.pow(rank + 1, exponent);
    cumulative[rank] = total;
  }
  return () => {
    const target = random() * total;
    // The first rank whose cumulative weight reaches the target (binary search: n is a catalog).
    let low = 0;
    let high = n - 1;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((cumulative[middle] as number) < target) low = middle + 1;
      else high = middle;
    }
    return low;
  };
}
