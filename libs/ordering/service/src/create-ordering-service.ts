import type { EventStore } from '@stockade/event-store';
import { Clock, systemClock } from '@stockade/kernel';
import { ORDER_STREAM_PREFIX } from '@stockade/ordering-domain';
import { orderingOutboxFor } from './channel-outcomes';
import { PartsAnswerDeadline } from './parts-answer-deadline';
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
  /**
   * How long to wait for the gateway as inventory's StockReserved is taken in, to write the
   * reservation and the decision in one append (ADR 0033); a slower answer goes through an
   * AuthorizePayment command. Default DEFAULT_INLINE_PAYMENT_WAIT_MS; 0: always the command.
   */
  readonly inlinePaymentWaitMs?: number;
  /** Told when the gateway failed inline: the order then pays through the command path, with retries. */
  readonly onInlinePaymentFailed?: (error: unknown, orderId: string) => void;
  /** Default: none. */
  readonly telemetry?: SagaTelemetry;
  /** Inventory shards (ADR 0020); default 1. */
  readonly inventoryShards?: number;
  /**
   * With inventory shards: how long an order in several parts waits for its last part's answer
   * before it is rejected and its parts released. Default 30 000 ms.
   */
  readonly partsAnswerTimeoutMs?: number;
  /** Told of each order in parts rejected for want of an answer (the operator's log). */
  readonly onPartsAnswerTimedOut?: (orderId: string, waitedMs: number) => void;
  /** Told when reporting such a timeout failed; it is retried on the next pass. */
  readonly onPartsAnswerError?: (error: unknown, orderId: string) => void;
  /**
   * The sales channels whose orders' outcomes also go to the channel's own `order.events.<channel>`
   * (ADR 0023). Default none: outcomes on order.events only.
   */
  readonly channels?: readonly string[];
}

export const DEFAULT_PARTS_ANSWER_TIMEOUT_MS = 30_000;

/** Long enough for a gateway that answers at once (the simulator, most approvals); short enough that a slow one holds inventory's answers little. */
export const DEFAULT_INLINE_PAYMENT_WAIT_MS = 200;

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
    inlinePaymentWaitMs: options.inlinePaymentWaitMs ?? DEFAULT_INLINE_PAYMENT_WAIT_MS,
    ...(options.onInlinePaymentFailed ? { onInlinePaymentFailed: options.onInlinePaymentFailed } : {}),
    ...(options.telemetry ? { telemetry: options.telemetry } : {}),
    ...(options.inventoryShards === undefined ? {} : { inventoryShards: options.inventoryShards }),
  });
  // Only a sharded inventory splits orders into parts; without it there is nothing to wait for.
  const partsAnswerDeadline =
    (options.inventoryShards ?? 1) > 1
      ? new PartsAnswerDeadline(options.store, (orderId, fact) => service.reportAnswerTimeout(orderId, fact), {
          clock: options.clock ?? systemClock,
          timeoutMs: options.partsAnswerTimeoutMs ?? DEFAULT_PARTS_ANSWER_TIMEOUT_MS,
          ...(options.onPartsAnswerTimedOut ? { onTimedOut: options.onPartsAnswerTimedOut } : {}),
          ...(options.onPartsAnswerError ? { onError: options.onPartsAnswerError } : {}),
        })
      : undefined;
  return {
    service,
    outbox: orderingOutboxFor(options.channels ?? []),
    streamPrefixes: [ORDER_STREAM_PREFIX] as const,
    partsAnswerDeadline,
  };
}
