import type { EventStore } from '@stockade/event-store';
import type { StuckOrder, StuckReport } from './operations-contract';
import { deadlineOf, isTerminal, scanOrders, waitingFor } from './order-scan';

/** Orders not terminal past their phase's deadline or older than `olderThanMs`, most overdue first. */
export async function stuckOrders(
  orders: EventStore,
  options: { olderThanMs: number; now: Date; paymentTimeoutMs: number },
): Promise<StuckReport> {
  const now = options.now.getTime();
  const stuck: StuckOrder[] = [];
  for (const [orderId, order] of await scanOrders(orders)) {
    if (isTerminal(order.state)) continue;
    const ageMs = now - Date.parse(order.state.order.placedAt);
    const deadline = deadlineOf(order, options.paymentTimeoutMs);
    const overdueMs = deadline === undefined ? undefined : now - Date.parse(deadline);
    const pastDeadline = overdueMs !== undefined && overdueMs > 0;
    if (!pastDeadline && ageMs <= options.olderThanMs) continue;
    stuck.push({
      orderId,
      phase: order.state.phase.toLowerCase().replace('_', ' '),
      waitingFor: waitingFor(order.state),
      placedAt: order.state.order.placedAt,
      ageMs,
      ...(deadline ? { deadline } : {}),
      ...(pastDeadline ? { overdueMs } : {}),
    });
  }
  stuck.sort((a, b) => (b.overdueMs ?? -1) - (a.overdueMs ?? -1) || b.ageMs - a.ageMs);
  return { now: options.now.toISOString(), olderThanMs: options.olderThanMs, orders: stuck };
}
