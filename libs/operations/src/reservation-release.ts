import { ReleaseReservationV1, TOPICS } from '@stockade/contracts';
import { deterministicId } from '@stockade/kernel';
import type { MessagePublisher } from '@stockade/messaging';
import { partOfReservationKey } from '@stockade/inventory-service';
import type { z } from 'zod';

/**
 * The repair port of `check --repair`: asks inventory to release a leaked reservation (the key
 * of its stream, a part's `<checkoutId>#<shard>` included). Inventory's single writer decides and
 * appends it, as it does the saga's releases; the check writes no inventory stream itself.
 */
export type ReleaseReservationRequest = (reservationKey: string, reason: string) => Promise<void>;

export interface InventoryCommandsOptions {
  readonly bus: MessagePublisher;
  /** The inventory.commands topic as this deployment names it (prefixed on a shared cluster). */
  readonly topic?: string;
  readonly now: () => Date;
}

/**
 * A ReleaseReservation.v1 on inventory.commands, keyed and placed as the saga's own (a part on
 * its shard's partition, ADR 0020). Its message id is derived from the reservation, so a repair
 * sent twice is one command to inventory.
 */
export function releaseThroughInventoryCommands(options: InventoryCommandsOptions): ReleaseReservationRequest {
  const topic = options.topic ?? TOPICS.inventoryCommands;
  return async (reservationKey, reason) => {
    const { checkoutId, shard } = partOfReservationKey(reservationKey);
    const value = {
      messageId: deterministicId(reservationKey, 'stockade-check-repair'),
      type: 'ReleaseReservation.v1',
      correlationId: checkoutId,
      causationId: 'stockade-check-repair',
      occurredAt: options.now().toISOString(),
      data: { checkoutId, reason, ...(shard === undefined ? {} : { shard }) },
    } satisfies z.input<typeof ReleaseReservationV1>;
    await options.bus.publish(topic, [
      { key: checkoutId, value, ...(shard === undefined ? {} : { partition: shard }) },
    ]);
  };
}
