import { createHash } from 'node:crypto';
import { Envelope, parseOrThrow, ReorderRequestedV1, TOPICS } from '@stockade/contracts';
import { Clock, deterministicId, ValidationError } from '@stockade/kernel';
import type { MessagePublisher } from '@stockade/messaging';

export interface SupplierSimulation {
  /** How long after the purchase order was requested the goods arrive. */
  readonly delayMs: number;
  /** Share of purchase orders (0..1) delivered only in part; which ones is decided by the order id. */
  readonly partialRate: number;
  /** What part of the ordered quantity a partial delivery brings (at least one unit). */
  readonly partialFraction: number;
}

export interface Delivery {
  readonly purchaseOrderId: string;
  readonly sku: string;
  readonly quantity: number;
  readonly partial: boolean;
}

/**
 * A stand-in for a real supplier, like the payment simulator is for a payment gateway: it reads
 * purchase orders from `inventory.reorders` and, `delayMs` after each was requested, delivers it
 * (ReceivePurchaseOrder.v1 on `inventory.commands`). Deterministic: the same purchase order
 * always gets the same delivery, with the same command id, so a redelivered order is received once.
 */
export class SimulatedSupplier {
  constructor(
    private readonly bus: MessagePublisher,
    private readonly clock: Clock,
    private readonly simulation: SupplierSimulation,
    private readonly wait: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  ) {}

  deliveryFor(order: { readonly purchaseOrderId: string; readonly sku: string; readonly quantity: number }): Delivery {
    const partial = unitInterval(order.purchaseOrderId) < this.simulation.partialRate;
    const quantity = partial
      ? Math.max(1, Math.floor(order.quantity * this.simulation.partialFraction))
      : order.quantity;
    return { purchaseOrderId: order.purchaseOrderId, sku: order.sku, quantity, partial };
  }

  /** The `inventory.reorders` handler: waits until the delivery is due (counted from the order, so a redelivery does not wait again), then delivers. */
  async handle(rawValue: string): Promise<Delivery> {
    const order = parseOrThrow(ReorderRequestedV1, parseJson(rawValue));
    const dueAt = Date.parse(order.occurredAt) + this.simulation.delayMs;
    const wait = dueAt - this.clock.now().getTime();
    if (wait > 0) await this.wait(wait);
    const delivery = this.deliveryFor(order.data);
    const messageId = deterministicId('simulated-supplier', delivery.purchaseOrderId);
    const receipt: Envelope = {
      messageId,
      type: 'ReceivePurchaseOrder.v1',
      correlationId: delivery.purchaseOrderId,
      causationId: order.messageId,
      occurredAt: this.clock.now().toISOString(),
      data: {
        purchaseOrderId: delivery.purchaseOrderId,
        sku: delivery.sku,
        quantity: delivery.quantity,
        supplierId: order.data.supplierId,
      },
    };
    await this.bus.publish(TOPICS.inventoryCommands, [
      { key: delivery.purchaseOrderId, value: receipt, headers: { 'message-type': receipt.type } },
    ]);
    return delivery;
  }
}

/** A stable number in [0, 1) from the purchase order id. */
function unitInterval(id: string): number {
  return createHash('sha256').update(id).digest().readUInt32BE(0) / 2 ** 32;
}

function parseJson(rawValue: string): unknown {
  try {
    return JSON.parse(rawValue);
  } catch (error) {
    throw new ValidationError([{ field: '(value)', message: `not valid JSON: ${(error as Error).message}` }]);
  }
}
