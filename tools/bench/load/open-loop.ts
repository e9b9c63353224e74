import type { CheckoutRequest } from '@stockade/contracts';
import { epochMs } from './clock';
import type { Ingress } from './ingress';
import { dueUntil, intendedOffsetsMs } from './open-loop-schedule';

/**
 * The open loop: deliveries arrive at a fixed rate whether or not the arm keeps up, as shoppers
 * do. Every delivery that is due leaves at once (in units of the ingress's size), without waiting
 * for earlier answers, and its latency counts from its intended time: a stalled arm pays for the
 * whole queue it caused. Returns each distinct checkout's intended send time.
 */
export async function runOpenLoop(
  ingress: Ingress,
  deliveries: readonly CheckoutRequest[],
  ratePerSecond: number,
): Promise<Map<string, number>> {
  const offsets = intendedOffsetsMs(deliveries.length, ratePerSecond);
  const sentAt = new Map<string, number>();
  const sends: Promise<void>[] = [];
  const start = epochMs();
  let next = 0;
  while (next < deliveries.length) {
    const due = dueUntil(offsets, next, epochMs() - start);
    for (let first = next; first < due; first += ingress.unitSize) {
      const unit = deliveries.slice(first, Math.min(due, first + ingress.unitSize));
      unit.forEach((delivery, i) => {
        if (!sentAt.has(delivery.checkoutId)) sentAt.set(delivery.checkoutId, start + (offsets[first + i] as number));
      });
      sends.push(ingress.send(unit, start + (offsets[first] as number)));
    }
    next = due;
    if (next < deliveries.length) {
      const wait = start + (offsets[next] as number) - epochMs();
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, wait)));
    }
  }
  await Promise.all(sends);
  return sentAt;
}
