/**
 * At-least-once delivery as an upstream retry produces it: `share` of the items are delivered a
 * second time, 1 to `maxDelay` deliveries after the first, so some duplicates arrive while the
 * first delivery is still in flight and some after it was decided. Deterministic for a given
 * `random`.
 */
export function withDuplicateDeliveries<T>(
  items: readonly T[],
  share: number,
  random: () => number,
  maxDelay = 200,
): T[] {
  const duplicated = pickDistinctIndexes(items.length, Math.round(items.length * share), random);
  const after = new Map<number, T[]>();
  for (const index of duplicated) {
    const at = Math.min(items.length - 1, index + 1 + Math.floor(random() * maxDelay));
    after.set(at, [...(after.get(at) ?? []), items[index] as T]);
  }
  return items.flatMap((item, position) => [item, ...(after.get(position) ?? [])]);
}

/** `count` distinct indexes below `n`, in random order (a partial Fisher–Yates shuffle). */
function pickDistinctIndexes(n: number, count: number, random: () => number): number[] {
  const indexes = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(random() * (n - i));
    [indexes[i], indexes[j]] = [indexes[j] as number, indexes[i] as number];
  }
  return indexes.slice(0, count);
}
