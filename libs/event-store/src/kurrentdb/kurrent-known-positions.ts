/**
 * Port positions this store instance has seen (returned by appends, reads and headPosition),
 * bounded to the most recent `capacity`.
 *
 * Why: a read of $all can only start exactly on a record. A position we handed out is one
 * (toKurrentPosition), but the port lets callers pass any number as `after`, and an
 * arbitrary byte offset is not a record boundary: the server may refuse it or misread. So
 * readAll starts a forward read at `after` only when it knows `after` is an event position;
 * otherwise it reads backwards from the end down to `after`, which is correct for any
 * number. Relays page with the last position of the previous page, which is remembered
 * here, so the backwards read happens at most once per process (e.g. the first page after a
 * restart from a saved checkpoint).
 */
export class KnownPositions {
  private readonly positions = new Set<number>();

  constructor(private readonly capacity = 10_000) {}

  remember(position: number): void {
    if (position <= 0) return;
    // Re-inserting moves it to the end, so eviction drops the least recently seen.
    this.positions.delete(position);
    this.positions.add(position);
    if (this.positions.size > this.capacity) {
      const oldest = this.positions.values().next().value as number;
      this.positions.delete(oldest);
    }
  }

  has(position: number): boolean {
    return this.positions.has(position);
  }
}
