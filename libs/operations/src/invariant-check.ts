import type { EventStore, RecordedEvent } from '@stockade/event-store';
import {
  evolveReservation,
  initialReservationState,
  isReservationEvent,
  ReservationEvent,
  ReservationState,
} from '@stockade/inventory-domain';
import {
  partOfReservationKey,
  RESERVATION_STREAM_PREFIX,
  reservationStream,
  STOCK_STREAM_PREFIX,
} from '@stockade/inventory-service';
import { StockadeError } from '@stockade/kernel';
import { orderStreamName } from '@stockade/ordering-domain';
import type { CheckReport, EventRef, Finding, Progress, Repair } from './operations-contract';
import { deadlineOf, foldIntoScan, isTerminal, ScannedOrder, scanOrders } from './order-scan';
import type { ReleaseReservationRequest } from './reservation-release';

export interface CheckDependencies {
  readonly orders: EventStore;
  readonly inventory: EventStore;
  readonly now: () => Date;
  readonly paymentTimeoutMs: number;
  /** How a repair asks inventory to release a leaked reservation; without it the check only reads. */
  readonly releaseReservation?: ReleaseReservationRequest;
  /** How long a repair waits to see inventory's release stored (default 10 s). */
  readonly repairTimeoutMs?: number;
}

export interface CheckOptions {
  readonly repair: boolean;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: Progress) => void;
}

/**
 * How long an order may sit past a deadline, or a reservation outlive its order, before the
 * check calls it drift: the system is serving while the check reads, and the saga's own timers
 * and the expiry scheduler act on the next tick, not on the millisecond.
 */
export const SETTLE_MS = 30_000;

const PAGE = 1_000;

/** What the fold of one SKU's stream computed, against what its events said. */
interface SkuLedger {
  onHand: number;
  reserved: number;
  readonly held: Map<string, number>;
  firstBad?: { kind: Finding['kind']; message: string; event: EventRef };
}

/**
 * The invariant check (`stockade check`): reads both logs a page at a time and writes nothing.
 * Asked to repair, it asks inventory for the correcting command (a release of a leaked
 * reservation) and reports the repair once inventory's single writer has stored it.
 */
export async function checkInvariants(deps: CheckDependencies, options: CheckOptions): Promise<CheckReport> {
  const inventoryHead = await deps.inventory.headPosition();
  const ledgers = new Map<string, SkuLedger>();
  const reservations = new Map<string, ReservationState>();
  const report = (done: number, phase: string, total?: number) =>
    options.onProgress?.({ phase, done, ...(total === undefined ? {} : { total }) });

  let after = 0;
  for (;;) {
    if (options.signal?.aborted) throw new Error('check stopped: the client went away');
    const page = await deps.inventory.readAll({
      after,
      limit: PAGE,
      streamPrefixes: [STOCK_STREAM_PREFIX, RESERVATION_STREAM_PREFIX],
    });
    if (page.length === 0) break;
    for (const event of page) {
      if (event.stream.startsWith(STOCK_STREAM_PREFIX)) checkStockEvent(ledgers, event);
      else if (isReservationEvent(event)) {
        const checkoutId = event.stream.slice(RESERVATION_STREAM_PREFIX.length);
        reservations.set(
          checkoutId,
          evolveReservation(
            reservations.get(checkoutId) ?? initialReservationState(),
            event as unknown as ReservationEvent,
          ),
        );
      }
    }
    after = (page.at(-1) as RecordedEvent).position;
    report(Math.min(after, inventoryHead), 'inventory events', inventoryHead);
    if (after >= inventoryHead) break;
  }

  const orders = await scanOrders(deps.orders, {
    ...(options.signal ? { signal: options.signal } : {}),
    onPage: (done, total) => report(done, 'order events', total),
  });

  const findings: Finding[] = [];
  for (const [sku, ledger] of ledgers) {
    if (ledger.firstBad)
      findings.push({
        kind: ledger.firstBad.kind,
        sku,
        message: ledger.firstBad.message,
        firstBadEvent: ledger.firstBad.event,
      });
    for (const [checkoutId, quantity] of ledger.held) {
      const status = reservations.get(checkoutId)?.status ?? 'none';
      if (status !== 'accepted') {
        findings.push({
          kind: 'reserved-mismatch',
          sku,
          checkoutId,
          message: `${sku} holds ${quantity} for checkout ${checkoutId}, whose reservation is ${status}`,
        });
      }
    }
  }
  const now = deps.now();
  findings.push(...orderFindings(orders, reservations, now, deps.paymentTimeoutMs));
  const confirmed = await stillWrong(deps, findings, now);

  let repaired: Repair[] | undefined;
  if (options.repair) {
    const release = deps.releaseReservation;
    if (!release)
      throw new StockadeError(
        'UNAVAILABLE',
        'check --repair needs the message bus: repairs are commands to inventory, which alone writes its streams',
      );
    repaired = [];
    for (const finding of confirmed) {
      if (options.signal?.aborted) break;
      if (
        finding.repair?.action.kind === 'release-reservation' &&
        (await releaseThroughInventory(deps, release, finding.repair.action.checkoutId, finding.repair.action.reason))
      ) {
        repaired.push(finding.repair);
      }
    }
  }
  return {
    ok: confirmed.length === 0,
    checkedAt: now.toISOString(),
    skus: ledgers.size,
    orders: orders.size,
    findings: confirmed,
    ...(repaired ? { repaired } : {}),
  };
}

const refOf = (event: RecordedEvent): EventRef => ({
  source: 'inventory',
  stream: event.stream,
  version: event.version,
  position: event.position,
  type: event.type,
});

/** Folds one stock event by arithmetic of its own and compares with the levels the event carries; remembers the first that disagrees. */
function checkStockEvent(ledgers: Map<string, SkuLedger>, event: RecordedEvent): void {
  const sku = event.stream.slice(STOCK_STREAM_PREFIX.length);
  let ledger = ledgers.get(sku);
  if (!ledger) ledgers.set(sku, (ledger = { onHand: 0, reserved: 0, held: new Map() }));
  const data = event.data as {
    quantity?: number;
    delta?: number;
    checkoutId?: string;
    onHand: number;
    reserved: number;
  };
  const bad = (kind: Finding['kind'], message: string) => {
    ledger.firstBad ??= {
      kind,
      message: `${message} (first at ${event.stream}@${event.version}, ${event.type})`,
      event: refOf(event),
    };
  };
  switch (event.type) {
    case 'StockReceived':
      ledger.onHand += data.quantity ?? 0;
      break;
    case 'StockAdjusted':
      ledger.onHand += data.delta ?? 0;
      break;
    case 'StockReserved':
      ledger.reserved += data.quantity ?? 0;
      ledger.held.set(data.checkoutId as string, data.quantity ?? 0);
      break;
    case 'StockReleased':
    case 'StockCommitted': {
      const held = ledger.held.get(data.checkoutId as string);
      if (held === undefined)
        bad(
          'reserved-mismatch',
          `${event.type === 'StockReleased' ? 'released' : 'sold'} ${data.quantity} for checkout ${data.checkoutId}, which held nothing`,
        );
      else if (held !== data.quantity)
        bad('reserved-mismatch', `checkout ${data.checkoutId} held ${held} but ${data.quantity} left the reservation`);
      ledger.reserved -= data.quantity ?? 0;
      if (event.type === 'StockCommitted') ledger.onHand -= data.quantity ?? 0;
      ledger.held.delete(data.checkoutId as string);
      break;
    }
    default:
      return;
  }
  const sumHeld = [...ledger.held.values()].reduce((sum, quantity) => sum + quantity, 0);
  if (data.reserved !== ledger.reserved || data.reserved !== sumHeld)
    bad('reserved-mismatch', `reserved is ${data.reserved}, live reservations add up to ${sumHeld}`);
  if (data.onHand !== ledger.onHand)
    bad('on-hand-mismatch', `on hand is ${data.onHand}, received − sold ± adjusted is ${ledger.onHand}`);
  if (data.onHand - data.reserved < 0) bad('negative-available', `available went to ${data.onHand - data.reserved}`);
  // Later events are compared with what they claim, so one bad event is reported once, where it happened.
  ledger.onHand = data.onHand;
  ledger.reserved = data.reserved;
}

function orderFindings(
  orders: Map<string, ScannedOrder>,
  reservations: Map<string, ReservationState>,
  now: Date,
  paymentTimeoutMs: number,
): Finding[] {
  const findings: Finding[] = [];
  for (const [orderId, order] of orders) {
    const deadline = deadlineOf(order, paymentTimeoutMs);
    if (!isTerminal(order.state) && deadline && now.getTime() - Date.parse(deadline) > SETTLE_MS) {
      findings.push({
        kind: 'order-past-deadline',
        orderId,
        message: `order ${orderId} waits in ${order.state.phase} since ${order.lastEventAt}, past its deadline ${deadline}`,
      });
    }
  }
  // A reservation is the whole checkout's, or one part of a checkout spread over shards (`<checkoutId>#<shard>`, ADR 0020).
  for (const [checkoutId, reservation] of reservations) {
    const orderId = partOfReservationKey(checkoutId).checkoutId;
    const order = orders.get(orderId);
    if (
      reservation.status === 'committed' &&
      order?.state.phase !== 'COMPLETED' &&
      order?.state.phase !== 'COMMITTING'
    ) {
      findings.push({
        kind: 'commit-without-completed-order',
        orderId,
        checkoutId,
        message: `the reservation of checkout ${checkoutId} was committed, but its order is ${order ? order.state.phase : 'missing'}`,
      });
    }
    if (
      reservation.status === 'accepted' &&
      order &&
      isTerminal(order.state) &&
      now.getTime() - Date.parse(order.lastEventAt) > SETTLE_MS
    ) {
      const reason = `check --repair: order ${orderId} ended ${order.state.phase.toLowerCase()}`;
      findings.push({
        kind: 'reservation-held-for-ended-order',
        orderId,
        checkoutId,
        message: `stock is still held for checkout ${checkoutId} (${reservation.lines.map((line) => `${line.quantity} × ${line.sku}`).join(', ')}), but its order ended ${order.state.phase.toLowerCase()} at ${order.lastEventAt}`,
        repair: {
          description: `release ${reservation.lines.map((line) => `${line.quantity} × ${line.sku}`).join(', ')} held for checkout ${checkoutId}`,
          action: { kind: 'release-reservation', checkoutId, reason },
        },
      });
    }
  }
  return findings;
}

/** Findings about one reservation are read again from their streams: the system kept serving while the logs were read. */
async function stillWrong(deps: CheckDependencies, findings: readonly Finding[], now: Date): Promise<Finding[]> {
  const confirmed: Finding[] = [];
  for (const finding of findings) {
    if (finding.kind === 'reservation-held-for-ended-order' && finding.checkoutId) {
      const reservation = await loadReservation(deps.inventory, finding.checkoutId);
      if (reservation.state.status !== 'accepted') continue;
    }
    if (finding.kind === 'order-past-deadline' && finding.orderId) {
      const fresh = await scanOrderAgain(deps, finding.orderId);
      if (!fresh || isTerminal(fresh.state)) continue;
      const deadline = deadlineOf(fresh, deps.paymentTimeoutMs);
      if (!deadline || now.getTime() - Date.parse(deadline) <= SETTLE_MS) continue;
    }
    confirmed.push(finding);
  }
  return confirmed;
}

async function scanOrderAgain(deps: CheckDependencies, orderId: string): Promise<ScannedOrder | undefined> {
  const scanned = new Map<string, ScannedOrder>();
  for (const event of await deps.orders.readStream(orderStreamName(orderId))) foldIntoScan(scanned, event);
  return scanned.get(orderId);
}

async function loadReservation(
  inventory: EventStore,
  checkoutId: string,
): Promise<{ state: ReservationState; version: number }> {
  const events = await inventory.readStream(reservationStream(checkoutId));
  const state = events.reduce(
    (current, event) =>
      isReservationEvent(event) ? evolveReservation(current, event as unknown as ReservationEvent) : current,
    initialReservationState(),
  );
  return { state, version: events.length - 1 };
}

const REPAIR_POLL_MS = 50;

/** Asks inventory to release the reservation and waits until its stream says it is no longer held; false if it still is when the wait ends. */
async function releaseThroughInventory(
  deps: CheckDependencies,
  release: ReleaseReservationRequest,
  reservationKey: string,
  reason: string,
): Promise<boolean> {
  await release(reservationKey, reason);
  const deadline = Date.now() + (deps.repairTimeoutMs ?? 10_000);
  for (;;) {
    const { state } = await loadReservation(deps.inventory, reservationKey);
    if (state.status !== 'accepted') return state.status === 'released';
    // Inventory decides on its own time; the next check looks again if it has not by then.
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, REPAIR_POLL_MS));
  }
}
