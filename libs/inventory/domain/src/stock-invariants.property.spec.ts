import fc from 'fast-check';
import { StockadeError } from '@stockade/kernel';
import {
  CheckoutCommand,
  CheckoutEvent,
  CheckoutState,
  decideCheckout,
  evolveCheckout,
  skusTouchedBy,
} from './checkout/checkout-decider';
import { initialReservationState, ReservationState } from './reservation/reservation-state';
import { decideStock, evolveStock, initialStockState, StockCommand, StockState } from './stock/stock-decider';
import type { StockEvent } from './stock/stock-events';

const SKUS = ['LAMP', 'DESK', 'MUG'] as const;
const CHECKOUTS = ['c1', 'c2', 'c3', 'c4', 'c5', 'c6'] as const;
const START = Date.parse('2026-12-02T10:00:00.000Z');
const TTL_MS = 60_000;

type Step =
  | { kind: 'receive'; sku: string; quantity: number }
  | { kind: 'adjust'; sku: string; delta: number }
  | { kind: 'configure'; sku: string; threshold: number | null; reorderPoint: number | null }
  | { kind: 'checkout'; checkoutId: string; lines: { sku: string; quantity: number }[] }
  | { kind: 'cancel' | 'decline' | 'commit'; checkoutId: string }
  | { kind: 'expire'; checkoutId: string; afterMs: number };

const sku = fc.constantFrom(...SKUS);
const checkoutId = fc.constantFrom(...CHECKOUTS);
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('receive' as const), sku, quantity: fc.integer({ min: 1, max: 10 }) }),
  fc.record({
    kind: fc.constant('adjust' as const),
    sku,
    delta: fc.integer({ min: -6, max: 6 }).filter((delta) => delta !== 0),
  }),
  fc.record({
    kind: fc.constant('configure' as const),
    sku,
    threshold: fc.option(fc.integer({ min: 0, max: 6 })),
    reorderPoint: fc.option(fc.integer({ min: 0, max: 4 })),
  }),
  fc.record({
    kind: fc.constant('checkout' as const),
    checkoutId,
    lines: fc.uniqueArray(fc.record({ sku, quantity: fc.integer({ min: 1, max: 4 }) }), {
      minLength: 1,
      maxLength: 3,
      selector: (line) => line.sku,
    }),
  }),
  fc.record({ kind: fc.constantFrom('cancel' as const, 'decline' as const, 'commit' as const), checkoutId }),
  fc.record({ kind: fc.constant('expire' as const), checkoutId, afterMs: fc.integer({ min: 0, max: 2 * TTL_MS }) }),
);

/** The aggregates of a small shop, advanced one command at a time exactly as the writer decides and folds them. */
class Shop {
  stocks: Record<string, StockState> = {};
  reservations: Record<string, ReservationState> = {};
  /** Units in and out, counted from the events: what onHand must equal. */
  readonly ledger: Record<string, { received: number; adjusted: number; sold: number }> = {};
  now = START;

  apply(step: Step): void {
    try {
      if (step.kind === 'receive' || step.kind === 'adjust' || step.kind === 'configure') this.stockCommand(step);
      else this.checkoutCommand(step);
    } catch (error) {
      // A refusal (invalid, unknown SKU, would break the invariant) is an answer; anything else is a bug.
      if (!(error instanceof StockadeError)) throw error;
    }
  }

  private stockCommand(step: Extract<Step, { kind: 'receive' | 'adjust' | 'configure' }>): void {
    const command: StockCommand =
      step.kind === 'receive'
        ? { type: 'ReceiveStock', data: { sku: step.sku, quantity: step.quantity } }
        : step.kind === 'adjust'
          ? { type: 'AdjustStock', data: { sku: step.sku, delta: step.delta, reason: 'count' } }
          : {
              type: 'ConfigureStock',
              data: {
                sku: step.sku,
                lowStockThreshold: step.threshold,
                reorderPoint: step.reorderPoint,
                reorderQuantity: step.reorderPoint === null ? null : 10,
              },
            };
    const state = this.stocks[step.sku] ?? initialStockState();
    this.record(decideStock(command, state));
  }

  private checkoutCommand(step: Exclude<Step, { kind: 'receive' | 'adjust' | 'configure' }>): void {
    if (step.kind === 'expire') this.now += step.afterMs;
    const metadata = { now: new Date(this.now) };
    const command: CheckoutCommand =
      step.kind === 'checkout'
        ? { type: 'ReserveStock', data: { checkoutId: step.checkoutId, lines: step.lines, ttlMs: TTL_MS }, metadata }
        : step.kind === 'commit'
          ? { type: 'CommitReservation', data: { checkoutId: step.checkoutId } }
          : step.kind === 'expire'
            ? { type: 'ExpireReservation', data: { checkoutId: step.checkoutId }, metadata }
            : {
                type: 'ReleaseReservation',
                data: {
                  checkoutId: step.checkoutId,
                  reason: step.kind === 'decline' ? 'payment declined' : 'cancelled',
                },
              };
    const reservation = this.reservations[step.checkoutId] ?? initialReservationState();
    const stocks: Record<string, StockState> = {};
    for (const touched of skusTouchedBy(command, reservation))
      stocks[touched] = this.stocks[touched] ?? initialStockState();
    const state: CheckoutState = { reservation, stocks };
    const events = decideCheckout(command, state);
    const after = events.reduce(evolveCheckout, state);
    this.reservations[step.checkoutId] = after.reservation;
    this.record(events.filter((event): event is StockEvent => 'sku' in event.data && !('shortLines' in event.data)));
  }

  private record(events: readonly (StockEvent | CheckoutEvent)[]): void {
    for (const event of events as StockEvent[]) {
      const { sku } = event.data;
      this.stocks[sku] = evolveStock(this.stocks[sku] ?? initialStockState(), event);
      const ledger = (this.ledger[sku] ??= { received: 0, adjusted: 0, sold: 0 });
      if (event.type === 'StockReceived') ledger.received += event.data.quantity;
      if (event.type === 'StockAdjusted') ledger.adjusted += event.data.delta;
      if (event.type === 'StockCommitted') ledger.sold += event.data.quantity;
    }
  }

  /** Every invariant of the stock, for every SKU, now. */
  check(): void {
    for (const [name, stock] of Object.entries(this.stocks)) {
      const held = Object.values(stock.reservations).reduce((sum, quantity) => sum + quantity, 0);
      const ledger = this.ledger[name] ?? { received: 0, adjusted: 0, sold: 0 };
      expect({
        sku: name,
        availableNeverNegative: stock.onHand - stock.reserved >= 0,
        reservedIsTheHolds: stock.reserved === held,
        onHandIsTheLedger: stock.onHand === ledger.received + ledger.adjusted - ledger.sold,
      }).toEqual({
        sku: name,
        availableNeverNegative: true,
        reservedIsTheHolds: true,
        onHandIsTheLedger: true,
      });
      // A hold belongs to a checkout whose reservation is accepted (not released, expired or committed) and names this SKU.
      for (const [holder, quantity] of Object.entries(stock.reservations)) {
        const reservation = this.reservations[holder];
        expect(reservation?.status).toBe('accepted');
        expect(
          reservation?.status === 'accepted'
            ? reservation.lines.find((line) => line.sku === name)?.quantity
            : undefined,
        ).toBe(quantity);
      }
      // An alert is up exactly while available is at or below the threshold, give or take the hysteresis band.
      const { settings, lowStockAlert, openPurchaseOrder } = stock.replenishment;
      const available = stock.onHand - stock.reserved;
      if (settings?.lowStockThreshold !== null && settings !== undefined) {
        if (available <= settings.lowStockThreshold) expect(lowStockAlert).toBe(true);
        if (available > settings.lowStockThreshold + settings.alertHysteresis) expect(lowStockAlert).toBe(false);
      }
      if (settings?.reorderPoint !== null && settings !== undefined && available <= settings.reorderPoint)
        expect(openPurchaseOrder).toBeDefined();
    }
  }
}

describe('stock invariants under random histories (fast-check)', () => {
  it('given any sequence of receipts, adjustments, settings, checkouts, cancels, declines, commits and expiries, then after every step available ≥ 0, reserved = the live holds, on hand = received + adjusted − sold, and alerts and reorders follow their rules', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 60 }), (steps) => {
        const shop = new Shop();
        for (const next of steps) {
          shop.apply(next);
          shop.check();
        }
      }),
      { numRuns: 500 },
    );
  });
});
