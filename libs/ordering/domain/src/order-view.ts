import type { OrderView } from '@stockade/contracts';
import { ExistingOrder, publicStatusOf } from './order-state';

/** What GET /orders/{orderId} shows: the public status and, once it ended badly, why. */
export function toOrderView(state: ExistingOrder): OrderView {
  const { order } = state;
  return {
    orderId: order.orderId,
    customerId: order.customerId,
    status: publicStatusOf(state.phase),
    lines: order.lines.map((line) => ({ ...line })),
    reasons: [...state.reasons],
    total: order.total,
  };
}
