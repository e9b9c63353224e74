/**
 * The bench's clock: wall-clock milliseconds with sub-millisecond resolution, comparable with a
 * server's Date.now() on the same machine (the embedded arm's terminal times are its clock's).
 * performance.timeOrigin + performance.now() is not: it started a few ms off the system clock
 * here and drifted about 80 µs per second, as NTP disciplines one and not the other. So the
 * monotonic clock is anchored on the system clock before each measurement, and the drift since
 * is reported with the run.
 */
let anchorDateMs = Date.now();
let anchorMonotonicMs = performance.now();

export const epochMs = (): number => anchorDateMs + (performance.now() - anchorMonotonicMs);

/** Anchors on the moment Date.now() ticks to its next millisecond (a wait of at most 1 ms), so the anchor is exact to well under a millisecond. */
export function anchorClock(): void {
  const before = Date.now();
  let now = Date.now();
  while (now === before) now = Date.now();
  anchorMonotonicMs = performance.now();
  anchorDateMs = now;
}

/** System clock minus the bench's clock now, in ms (Date.now() truncates, so it reads up to 1 ms low). */
export function clockDriftMs(): number {
  return Date.now() - epochMs();
}
