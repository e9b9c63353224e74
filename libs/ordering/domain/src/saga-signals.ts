import type { OrderEvent } from './order-events';
import type { OrderPhase, OrderState } from './order-state';

/** Why a saga gave back stock it had asked for: the compensations an operator counts. */
export type CompensationReason =
  'payment_declined' | 'payment_timeout' | 'customer_cancelled' | 'reservation_expired' | 'commit_refused';

export type SagaOutcome = 'COMPLETED' | 'REJECTED' | 'CANCELLED';

/** What one stored step means to telemetry: the saga ended (and how long it took), and/or a compensation began. */
export interface SagaSignals {
  readonly ended?: { readonly outcome: SagaOutcome; readonly durationMs: number };
  readonly compensation?: CompensationReason;
}

/**
 * Reads the signals off the events the saga just stored for an order in state `before`. Pure,
 * so metrics never disagree with the transition table: a compensation is a step that turns a
 * held (or requested) reservation into a release, counted once, on the step that starts it.
 */
export function sagaSignalsOf(before: OrderState, events: readonly OrderEvent[], now: Date): SagaSignals {
  const phase: OrderPhase | undefined = before.kind === 'existing' ? before.phase : undefined;
  let compensation: CompensationReason | undefined;
  let ended: SagaSignals['ended'];
  for (const event of events) {
    compensation ??= compensationStartedBy(phase, event);
    if (event.type === 'OrderCompleted' || event.type === 'OrderRejected' || event.type === 'OrderCancelled') {
      const placedAt = before.kind === 'existing' ? Date.parse(before.order.placedAt) : Number.NaN;
      ended = {
        outcome: outcomeOf(event.type),
        durationMs: Number.isNaN(placedAt) ? 0 : Math.max(0, now.getTime() - placedAt),
      };
    }
  }
  return { ...(ended ? { ended } : {}), ...(compensation ? { compensation } : {}) };
}

function compensationStartedBy(phase: OrderPhase | undefined, event: OrderEvent): CompensationReason | undefined {
  switch (event.type) {
    case 'PaymentDeclined':
      return 'payment_declined';
    // Late timeouts (after a release began, or after the end) only void a payment: no stock moves.
    case 'PaymentTimedOut':
      return phase === 'AWAITING_PAYMENT' ? 'payment_timeout' : undefined;
    case 'OrderCancellationRequested':
      return 'customer_cancelled';
    // Ending straight from these phases: inventory expired the hold, or refused the commit, and took the stock back.
    case 'OrderCancelled':
      return phase === 'AWAITING_PAYMENT'
        ? 'reservation_expired'
        : phase === 'COMMITTING'
          ? 'commit_refused'
          : undefined;
    default:
      return undefined;
  }
}

function outcomeOf(type: 'OrderCompleted' | 'OrderRejected' | 'OrderCancelled'): SagaOutcome {
  return type === 'OrderCompleted' ? 'COMPLETED' : type === 'OrderRejected' ? 'REJECTED' : 'CANCELLED';
}
