import type { CheckoutRequest } from '@stockade/contracts';
import { epochMs } from './clock';
import type { Ingress } from './ingress';

/**
 * The closed loop: a fixed number of sends in flight, the next leaving as soon as one is
 * answered, so the arm runs as fast as its ingress takes checkouts in. Returns when each distinct
 * checkout was first sent (a duplicate delivery keeps its original's time).
 */
export async function runClosedLoop(
  ingress: Ingress,
  deliveries: readonly CheckoutRequest[],
): Promise<Map<string, number>> {
  const sentAt = new Map<string, number>();
  let next = 0;
  const sender = async () => {
    while (next < deliveries.length) {
      const unit = deliveries.slice(next, next + ingress.unitSize);
      next += unit.length;
      const now = epochMs();
      for (const delivery of unit) if (!sentAt.has(delivery.checkoutId)) sentAt.set(delivery.checkoutId, now);
      await ingress.send(unit, now);
    }
  };
  await Promise.all(Array.from({ length: ingress.closedLoopConcurrency }, sender));
  return sentAt;
}
