/**
 * When each delivery of an open-loop run is meant to be sent, in ms after the start: the i-th at
 * i × 1000 / rate, whatever happened to the ones before. Latency is measured from these times, not
 * from when a send actually left, so a stalled system is charged for every arrival it held up
 * (no coordinated omission).
 */
export function intendedOffsetsMs(count: number, ratePerSecond: number): Float64Array {
  if (!(ratePerSecond > 0)) throw new Error(`an open loop needs a positive rate, got ${ratePerSecond}`);
  const interval = 1000 / ratePerSecond;
  return Float64Array.from({ length: count }, (_, i) => i * interval);
}

/** The index one past the last delivery due by `elapsedMs`, starting from `next` (offsets ascend). */
export function dueUntil(offsets: Float64Array, next: number, elapsedMs: number): number {
  let end = next;
  while (end < offsets.length && (offsets[end] as number) <= elapsedMs) end++;
  return end;
}
