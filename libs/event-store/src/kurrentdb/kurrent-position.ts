import type { Position } from '@kurrent/kurrentdb-client';
import { InvariantViolation } from '@stockade/kernel';

/**
 * The port's global position is a JavaScript number; KurrentDB's is a (commit, prepare) pair
 * of 64-bit byte offsets into the transaction log.
 *
 * Every gRPC write is an implicit transaction whose prepare records are each marked
 * committed, so an event's commit position is its own log offset: unique per event and
 * increasing in $all order. One number is therefore enough, and we use the commit position.
 * (Legacy TCP explicit transactions shared one commit position between events; no client
 * of this adapter can write those.)
 *
 * We add 1 so positions are 1-based, as the port documents (the first event of a fresh
 * database sits at commit position 0), and so `toKurrentPosition(p)` lands exactly on the
 * event at p: a read of $all may only start on a record boundary.
 *
 * The limit: a number is exact up to 2^53 - 1, i.e. a transaction log of 8 PiB. Beyond it
 * two events could map to one number and relays would skip events, so we refuse loudly
 * instead of rounding.
 */
const NO_POSITION = 2n ** 64n - 1n;
const LARGEST_EXACT = BigInt(Number.MAX_SAFE_INTEGER);

export function toPortPosition(position: Position): number {
  // Older servers send "no position" (2^64 - 1) for the commit part of stream reads.
  const logPosition = position.commit === NO_POSITION || position.commit < 0n ? position.prepare : position.commit;
  if (logPosition < 0n || logPosition >= LARGEST_EXACT) {
    throw new InvariantViolation(
      `KurrentDB log position ${logPosition} cannot be represented exactly as a port position (limit 2^53 - 2)`,
    );
  }
  return Number(logPosition) + 1;
}

/** The $all position of the event the port calls `portPosition` (inclusive start of a read). */
export function toKurrentPosition(portPosition: number): Position {
  if (!Number.isSafeInteger(portPosition) || portPosition < 1) {
    throw new InvariantViolation(`${portPosition} is not a port position (a safe integer >= 1)`);
  }
  const logPosition = BigInt(portPosition - 1);
  return { commit: logPosition, prepare: logPosition };
}
