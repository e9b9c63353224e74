import type { EventStore } from '@stockade/event-store';
import { Clock, systemClock } from '@stockade/kernel';
import { ORDER_STREAM_PREFIX } from '@stockade/ordering-domain';
import { orderingOutbox } from './ordering-outbox';
import { OrderingService } from './ordering-service';
import type { SagaTelemetry } from './order-stream-writer';
import type { PaymentGateway } from './payment-gateway';
import { SimulatedPaymentGateway } from './simulated-payment-gateway';

export interface OrderingServiceOptions {
  readonly store: EventStore;
  /** Default: the system clock. */
  readonly clock?: Clock;
  /** Default: a SimulatedPaymentGateway with the default token rules. */
  readonly paymentGateway?: PaymentGateway;
  /** Default: 10 000 ms. */
  readonly paymentTimeoutMs?: number;
  /** Default: none. */
  readonly telemetry?: SagaTelemetry;
  /** Inventory shards (ADR 0020); default 1. */
  readonly inventoryShards?: number;
}

/**
 * Everything the shell wires: the service (HTTP facade and message handlers) and the outbox
 * mapping for the EventLogRelay, which should read only the order streams.
 */
export function createOrderingService(options: OrderingServiceOptions) {
  const service = new OrderingService({
    store: options.store,
    clock: options.clock ?? systemClock,
    paymentGateway: options.paymentGateway ?? new SimulatedPaymentGateway(),
    ...(options.paymentTimeoutMs === undefined ? {} : { paymentTimeoutMs: options.paymentTimeoutMs }),
    ...(options.telemetry ? { telemetry: options.telemetry } : {}),
    ...(options.inventoryShards === undefined ? {} : { inventoryShards: options.inventoryShards }),
  });
  return { service, outbox: orderingOutbox, streamPrefixes: [ORDER_STREAM_PREFIX] as const };
}
