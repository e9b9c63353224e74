/**
 * What operators get back from the operator surface (`/ops/*` on the embedded runner and on the
 * gateway) and what the `stockade` CLI renders: plain JSON shapes, the same in both modes.
 * Times are ISO-8601 strings; durations are milliseconds.
 */

/** Which store an event comes from. */
export type EventSource = 'orders' | 'inventory';

/**
 * Where a reader is in the logs: one global position per store (the stores are separate logs).
 * On the wire it is the string `orders:<n>,inventory:<n>` (see formatCursor/parseCursor).
 */
export interface EventCursor {
  readonly orders: number;
  readonly inventory: number;
}

/** One stored event as an operator reads it. */
export interface OperatorEvent {
  readonly source: EventSource;
  readonly stream: string;
  readonly version: number;
  /** Global position in its store. */
  readonly position: number;
  /** The stored type with any version suffix removed (`OrderPlaced`, not `OrderPlaced.v2`). */
  readonly type: string;
  readonly recordedAt: string;
  readonly correlationId: string;
  readonly causationId: string;
  /** Order id, checkout id and SKUs the event concerns, where it names them (for filters and colour). */
  readonly orderId?: string;
  readonly checkoutId?: string;
  readonly skus?: readonly string[];
  /** good: stock came in or an order completed; bad: rejected, cancelled, expired, declined; neutral otherwise. */
  readonly tone: 'good' | 'bad' | 'neutral';
  /** One line in plain words, e.g. "reserved 2 × LAMP until 12:03:10 for checkout c-1 (available 3 → 1)". */
  readonly summary: string;
  readonly data: unknown;
}

/** Filters of the event feed; all given ones must match. */
export interface EventFilter {
  readonly stream?: string;
  readonly sku?: string;
  readonly orderId?: string;
  readonly correlationId?: string;
  /** Exact type names (without version suffix). */
  readonly types?: readonly string[];
}

export interface EventPage {
  readonly events: readonly OperatorEvent[];
  /** Pass back as `from` to continue after the last event of this page. */
  readonly next: EventCursor;
}

export type OrderOutcomeName = 'completed' | 'rejected' | 'cancelled';

/** `stockade order <id>`: the order's story across the services. */
export interface OrderStory {
  readonly orderId: string;
  readonly checkoutId: string;
  readonly customerId: string;
  /** The saga phase (placed, reserved, completed, ...). */
  readonly phase: string;
  readonly terminal: boolean;
  readonly outcome?: OrderOutcomeName;
  /** When it ended and not completed: why, in plain words ("LAMP: only 2 available, 3 requested"). */
  readonly why?: string;
  readonly placedAt: string;
  readonly endedAt?: string;
  readonly deadlines: {
    /** When the saga gives up waiting for the payment answer (while waiting for it). */
    readonly paymentTimeoutAt?: string;
    /** When inventory releases the held stock by itself (while it is held). */
    readonly reservationExpiresAt?: string;
  };
  /** Every event of the order and its reservation (order stream, reservation stream, stock events of the checkout), in causal order. */
  readonly events: readonly OperatorEvent[];
}

export interface LiveReservation {
  readonly checkoutId: string;
  readonly quantity: number;
  readonly expiresAt: string;
}

/** `stockade stock <sku>`. */
export interface StockStory {
  readonly sku: string;
  readonly onHand: number;
  readonly reserved: number;
  readonly available: number;
  /** IN_STOCK, LIMITED or OUT_OF_STOCK, as the public API shows it. */
  readonly status: string;
  readonly reservations: readonly LiveReservation[];
  /** The last movements (receipts, adjustments with their reason, reservations, commits, releases), newest last. */
  readonly movements: readonly OperatorEvent[];
}

/** `stockade stuck`: an order not terminal past its deadline or older than the threshold. */
export interface StuckOrder {
  readonly orderId: string;
  readonly phase: string;
  /** What it waits for, in plain words ("the payment answer", "inventory's reservation decision"). */
  readonly waitingFor: string;
  readonly placedAt: string;
  readonly ageMs: number;
  /** The deadline of the phase it waits in, if it has one. */
  readonly deadline?: string;
  /** How far past that deadline (absent when not past it). */
  readonly overdueMs?: number;
}

export interface StuckReport {
  readonly now: string;
  readonly olderThanMs: number;
  readonly orders: readonly StuckOrder[];
}

export type FindingKind =
  /** The SKU's reserved count differs from the sum of its live reservations. */
  | 'reserved-mismatch'
  /** available < 0 at some version of the SKU stream. */
  | 'negative-available'
  /** received − sold ± adjusted differs from on hand. */
  | 'on-hand-mismatch'
  /** An order neither terminal nor within its deadlines. */
  | 'order-past-deadline'
  /** A committed reservation whose order did not complete. */
  | 'commit-without-completed-order'
  /** Stock held for an order that already ended without completing (a leaked reservation). */
  | 'reservation-held-for-ended-order';

/** The first event where a stream went wrong. */
export interface EventRef {
  readonly source: EventSource;
  readonly stream: string;
  readonly version: number;
  readonly position: number;
  readonly type: string;
}

/** A correcting event `check --repair` can append (it never rewrites history). */
export interface Repair {
  /** In plain words: "release 2 × LAMP held for checkout c-1 (order ended cancelled)". */
  readonly description: string;
  readonly action:
    | { readonly kind: 'release-reservation'; readonly checkoutId: string; readonly reason: string }
    | { readonly kind: 'adjust-stock'; readonly sku: string; readonly delta: number; readonly reason: string };
}

export interface Finding {
  readonly kind: FindingKind;
  readonly sku?: string;
  readonly orderId?: string;
  readonly checkoutId?: string;
  readonly message: string;
  readonly firstBadEvent?: EventRef;
  /** Absent when nothing safe can be appended to fix it (it needs a person). */
  readonly repair?: Repair;
}

/** `stockade check`. */
export interface CheckReport {
  readonly ok: boolean;
  readonly checkedAt: string;
  readonly skus: number;
  readonly orders: number;
  readonly findings: readonly Finding[];
  /** Only after a repair run: what was appended. */
  readonly repaired?: readonly Repair[];
}

/** Progress of long work (check, rebuild), for a progress bar. */
export interface Progress {
  readonly phase: string;
  readonly done: number;
  /** Unknown totals are omitted. */
  readonly total?: number;
}

/** `stockade dlq list`: a dead letter, identified by `<dlq topic>:<partition>:<offset>`. */
export interface DeadLetterSummary {
  readonly id: string;
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly originalTopic: string;
  readonly originalPartition?: number;
  readonly originalOffset?: string;
  readonly key: string | null;
  readonly error: string;
  readonly attempts?: number;
  readonly failedAt?: string;
  /** Set once it was replayed (replays are recorded and happen once). */
  readonly replayed?: { readonly by: string; readonly at: string };
}

/** `stockade dlq show <id>`: the summary plus the exact bytes. */
export interface DeadLetter extends DeadLetterSummary {
  /** The value's exact bytes, base64; a JSON value holding payment tokens or references is shown re-serialized with them redacted (as in `valueText`). */
  readonly valueBase64: string;
  /** The value as UTF-8 text when it is valid UTF-8 (JSON with `paymentToken`/`paymentRef` shown as `[redacted]`). */
  readonly valueText?: string;
  readonly headers: Readonly<Record<string, string>>;
}

export interface ReplayResult {
  readonly id: string;
  readonly outcome: 'replayed' | 'already-replayed' | 'failed';
  readonly by?: string;
  readonly at?: string;
  readonly error?: string;
}

export const formatCursor = (cursor: EventCursor): string => `orders:${cursor.orders},inventory:${cursor.inventory}`;

/** Parses `orders:<n>,inventory:<n>` (either part may be left out: 0); undefined when malformed. */
export function parseCursor(text: string): EventCursor | undefined {
  const parts = text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
  const cursor = { orders: 0, inventory: 0 };
  for (const part of parts) {
    const match = /^(orders|inventory):(\d+)$/.exec(part);
    if (!match) return undefined;
    cursor[match[1] as EventSource] = Number(match[2]);
  }
  return parts.length > 0 ? cursor : undefined;
}

/** `stockade rebuild <projection>`: what was read and republished. */
export interface RebuildReport {
  readonly projection: string;
  /** Events of the projection's streams read from the store, up to its head when the rebuild began. */
  readonly eventsRead: number;
  /** Streams (keys) whose latest state was republished. */
  readonly keys: number;
  /** Messages published to the projection's topic. */
  readonly published: number;
  readonly topic: string;
  readonly startedAt: string;
  readonly tookMs: number;
}

/** A read model the operator can rebuild, as `GET /ops/rebuild` lists them. */
export interface RebuildableSummary {
  readonly name: string;
  readonly description: string;
  readonly topic: string;
}
