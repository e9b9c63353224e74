import type { EventStore, RecordedEvent } from '@stockade/event-store';
import {
  ExistingOrder,
  foldStoredOrderEvents,
  NO_ORDER,
  ORDER_STREAM_PREFIX,
  OrderState,
  parseStoredType,
} from '@stockade/ordering-domain';

/** What the scans keep per order: its state and the times its deadlines are counted from. */
export interface ScannedOrder {
  readonly state: ExistingOrder;
  readonly lastEventAt: string;
  /** When stock was reserved (the payment timeout counts from it) and until when it is held. */
  readonly reservedAt?: string;
  readonly expiresAt?: string;
}

const PAGE = 1_000;

/**
 * Folds every order stream of the store, a page of the log at a time. A scan of the whole log:
 * fine for an operator's question on stores of a few million events; a checkpointed projection
 * of open orders is the step after.
 */
export async function scanOrders(
  orders: EventStore,
  options: { signal?: AbortSignal; onPage?: (done: number, total: number) => void } = {},
): Promise<Map<string, ScannedOrder>> {
  const head = await orders.headPosition();
  const scanned = new Map<string, ScannedOrder>();
  let after = 0;
  for (;;) {
    if (options.signal?.aborted) throw new Error('stopped: the client went away');
    const page = await orders.readAll({ after, limit: PAGE, streamPrefixes: [ORDER_STREAM_PREFIX] });
    if (page.length === 0) break;
    for (const event of page) foldIntoScan(scanned, event);
    after = (page.at(-1) as { position: number }).position;
    options.onPage?.(Math.min(after, head), head);
    if (after >= head) break;
  }
  return scanned;
}

/** Adds one order event to the scan (events of one order in stream order). */
export function foldIntoScan(scanned: Map<string, ScannedOrder>, event: RecordedEvent): void {
  const orderId = event.stream.slice(ORDER_STREAM_PREFIX.length);
  const previous = scanned.get(orderId);
  let state: OrderState;
  try {
    state = foldStoredOrderEvents(previous?.state ?? NO_ORDER, [event]);
  } catch {
    return; // an event the domain refuses here is for `check` to report, not for the scan to die on
  }
  if (state.kind !== 'existing') return;
  const [type] = parseStoredType(event.type);
  const reserved = type === 'StockReserved' ? (event.data as { expiresAt?: string }) : undefined;
  scanned.set(orderId, {
    state,
    lastEventAt: event.recordedAt,
    ...(reserved
      ? { reservedAt: event.recordedAt, ...(reserved.expiresAt ? { expiresAt: reserved.expiresAt } : {}) }
      : pick(previous)),
  });
}

function pick(previous: ScannedOrder | undefined): Partial<ScannedOrder> {
  if (!previous) return {};
  return {
    ...(previous.reservedAt ? { reservedAt: previous.reservedAt } : {}),
    ...(previous.expiresAt ? { expiresAt: previous.expiresAt } : {}),
  };
}

export const isTerminal = (state: ExistingOrder): boolean =>
  state.phase === 'COMPLETED' || state.phase === 'REJECTED' || state.phase === 'CANCELLED';

/** What an order in flight waits for, in plain words. */
export function waitingFor(state: ExistingOrder): string {
  switch (state.phase) {
    case 'PLACED':
      return "inventory's reservation decision";
    case 'AWAITING_PAYMENT':
      return 'the payment answer';
    case 'COMMITTING':
      return 'inventory to commit the reservation';
    case 'RELEASING':
      return 'inventory to release the reservation';
    default:
      return 'nothing (it ended)';
  }
}

/** The deadline of the phase the order waits in, if it has one. */
export function deadlineOf(order: ScannedOrder, paymentTimeoutMs: number): string | undefined {
  if (order.state.phase === 'AWAITING_PAYMENT' && order.reservedAt)
    return new Date(Date.parse(order.reservedAt) + paymentTimeoutMs).toISOString();
  if (order.state.phase === 'COMMITTING') return order.expiresAt;
  return undefined;
}
