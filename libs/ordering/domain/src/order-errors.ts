import { StockadeError } from '@stockade/kernel';
import type { OrderPhase } from './order-state';

/** A customer may cancel only before payment is authorized; afterwards the order runs to its end (HTTP 409). */
export class OrderCannotBeCancelled extends StockadeError {
  constructor(
    readonly orderId: string,
    readonly phase: OrderPhase,
  ) {
    super('CONFLICT', `order ${orderId} can no longer be cancelled: it is ${describe(phase)}`);
  }
}

function describe(phase: OrderPhase): string {
  return phase === 'COMMITTING' ? 'paid and being completed' : phase.toLowerCase();
}
