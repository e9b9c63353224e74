import type { CheckoutRequest } from '@stockade/contracts';
import { epochMs } from '../load/clock';
import type { Ingress } from '../load/ingress';
import { dueUntil, intendedOffsetsMs } from '../load/open-loop-schedule';

/**
 * The open loop of the soak: `count` checkouts at `ratePerSecond` on the same schedule as the
 * bench's open loop (the i-th due at i / rate, sent without waiting for earlier answers), each made
 * by `checkoutAt` only when due. `onTick` runs between sends (the sampler's chance to look).
 * Resolves when every send was answered.
 */
export async function runPacedLoop(
  ingress: Ingress,
  count: number,
  ratePerSecond: number,
  checkoutAt: (index: number) => CheckoutRequest,
  onSent?: (sent: number) => void,
): Promise<void> {
  const offsets = intendedOffsetsMs(count, ratePerSecond);
  const sends = new Set<Promise<void>>();
  const start = epochMs();
  let next = 0;
  while (next < count) {
    const due = dueUntil(offsets, next, epochMs() - start);
    for (let first = next; first < due; first += ingress.unitSize) {
      const unit = Array.from({ length: Math.min(due, first + ingress.unitSize) - first }, (_, i) =>
        checkoutAt(first + i),
      );
      const send = ingress.send(unit, start + (offsets[first] as number)).finally(() => sends.delete(send));
      sends.add(send);
    }
    next = due;
    onSent?.(next);
    if (next < count)
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, start + (offsets[next] as number) - epochMs())));
  }
  await Promise.all(sends);
}
