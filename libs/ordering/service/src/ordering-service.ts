import { CheckoutRequest, CheckoutRequestedData, OrderView, parseOrThrow, shardOfSku } from '@stockade/contracts';
import type { EventStore } from '@stockade/event-store';
import { Clock, deterministicId, StockadeError } from '@stockade/kernel';
import {
  OrderEvent,
  orderDecider,
  OrderLine,
  partsOf,
  ReportedFact,
  ReservationPart,
  StockReserved,
  toOrderView,
} from '@stockade/ordering-domain';
import { CheckoutArrival, checkoutCause, readCheckoutRequested } from './checkout-request-reading';
import { readInventoryEvent } from './inventory-event-translation';
import { CausingMessage, OrderStreamWriter, SagaTelemetry } from './order-stream-writer';
import type { PaymentGateway } from './payment-gateway';
import { PaymentCommand } from './payment-messages';
import { DEFAULT_PAYMENT_TIMEOUT_MS, PaymentWorker } from './payment-worker';
import { parseRawJson } from './raw-json';
import { settledWithin } from './settled-within';

/**
 * Where a customer command came from: event ids derive from `messageId` (optional for HTTP
 * callers). There is no time here on purpose: an order is placed (or cancelled) at the service
 * clock's now, never at a time its sender claims (issue 20: an upstream dating its checkouts
 * could move deadlines and reports).
 */
export interface CommandContext {
  readonly messageId?: string;
}

export interface OrderingServiceDependencies {
  readonly store: EventStore;
  readonly clock: Clock;
  readonly paymentGateway: PaymentGateway;
  /** How long the payment worker waits for the gateway before the order is cancelled (default 10 000 ms). */
  readonly paymentTimeoutMs?: number;
  /**
   * How long the inventory.events consumer waits for the gateway to decide inline, as the
   * reservation is taken in (ADR 0033); past it, the reservation is recorded alone and the payment
   * worker takes over. 0 (the default here; createOrderingService's is 200): always the worker.
   */
  readonly inlinePaymentWaitMs?: number;
  readonly onInlinePaymentFailed?: (error: unknown, orderId: string) => void;
  /** Saga durations and compensations for metrics (default: none). */
  readonly telemetry?: SagaTelemetry;
  /**
   * Inventory shards (ADR 0020). Above 1, every order is placed with its parts, the SKUs of each
   * shard, so its reservation commands go to the shards' partitions. Default 1: inventory is one.
   */
  readonly inventoryShards?: number;
}

/**
 * The order service's entry points: customer commands (HTTP), the checkout, inventory and
 * payment-command consumers, and the read side. Every raw message is validated here; bad input
 * throws a non-retriable ValidationError naming the field, so the bus dead-letters it.
 */
export class OrderingService {
  private readonly orders: OrderStreamWriter;
  private readonly payments: PaymentWorker;
  private readonly clock: Clock;
  private readonly gateway: PaymentGateway;
  private readonly inventoryShards: number;
  private readonly inlinePaymentWaitMs: number;
  private readonly onInlinePaymentFailed: (error: unknown, orderId: string) => void;

  constructor(dependencies: OrderingServiceDependencies) {
    this.clock = dependencies.clock;
    this.inlinePaymentWaitMs = dependencies.inlinePaymentWaitMs ?? 0;
    this.onInlinePaymentFailed = dependencies.onInlinePaymentFailed ?? (() => undefined);
    this.gateway = dependencies.paymentGateway;
    this.inventoryShards = dependencies.inventoryShards ?? 1;
    this.orders = new OrderStreamWriter(dependencies.store, dependencies.clock, dependencies.telemetry);
    this.payments = new PaymentWorker(
      dependencies.paymentGateway,
      this.orders,
      dependencies.paymentTimeoutMs ?? DEFAULT_PAYMENT_TIMEOUT_MS,
    );
  }

  private partsFor(lines: readonly { readonly sku: string }[]): { parts?: ReservationPart[] } {
    if (this.inventoryShards <= 1) return {};
    const shards = this.inventoryShards;
    return { parts: partsOf(lines as readonly OrderLine[], (sku) => shardOfSku(sku, shards)) };
  }

  /**
   * Idempotent by checkout id: the same checkout again returns the same order and writes nothing;
   * the same id with another customer or other lines is refused (CheckoutIdReused, CONFLICT).
   * A payment token is exchanged for the gateway's reference before anything is written (ADR 0021).
   */
  async placeOrder(
    request: CheckoutRequest | CheckoutRequestedData,
    context: CommandContext = {},
  ): Promise<{ orderId: string; created: boolean }> {
    const {
      checkoutId: orderId,
      customerId,
      lines,
      paymentToken,
      paymentRef: given,
    } = parseOrThrow(CheckoutRequestedData, request);
    const paymentRef = given ?? (paymentToken === undefined ? undefined : await this.tokenize(paymentToken));
    const cause = context.messageId ? { messageId: context.messageId } : checkoutCause(orderId);
    const written = await this.orders.write(
      orderId,
      {
        type: 'PlaceOrder',
        data: {
          orderId,
          customerId,
          lines,
          ...(paymentRef === undefined ? {} : { paymentRef }),
          ...this.partsFor(lines),
        },
        metadata: { now: this.clock.now().toISOString() },
      },
      cause,
    );
    return { orderId, created: written.length > 0 };
  }

  /** Throws NotFoundError for an unknown order, OrderCannotBeCancelled (CONFLICT) once payment is in. */
  async cancelOrder(orderId: string, context: CommandContext = {}): Promise<void> {
    const cause: CausingMessage = { messageId: context.messageId ?? deterministicId('cancel', orderId) };
    await this.orders.write(
      orderId,
      { type: 'CancelOrder', data: { orderId }, metadata: { now: this.clock.now().toISOString() } },
      cause,
    );
  }

  async getOrder(orderId: string): Promise<OrderView | undefined> {
    const { state } = await this.orders.load(orderId);
    return state.kind === 'existing' ? toOrderView(state) : undefined;
  }

  /**
   * Consumer of TOPICS.checkoutRequested (no channel: the trusted producers' topic) and of each
   * channel's `checkout.requested.<channel>`: a bare POST /checkouts body or a CheckoutRequested.v1
   * envelope. Bad input, and another channel's customer on a channel's topic, throw a
   * ValidationError (dead-lettered).
   */
  async handleCheckoutRequested(rawValue: string, channel?: string): Promise<{ orderId: string; created: boolean }> {
    const { request, cause } = this.readCheckout(rawValue, channel);
    return this.placeOrder(request, cause);
  }

  /** handleCheckoutRequested's first half, for a caller that admits the checkout before placing it (back-pressure). */
  readCheckout(rawValue: string, channel?: string): CheckoutArrival {
    return readCheckoutRequested(rawValue, channel);
  }

  /** Consumer of TOPICS.inventoryEvents. News for an unknown order, or that the saga is past, changes nothing. */
  async handleInventoryEvent(rawValue: string): Promise<void> {
    const { orderId, fact, messageId } = readInventoryEvent(rawValue);
    const paidWith =
      this.inlinePaymentWaitMs > 0 && fact.type === 'StockReserved' ? await this.payInline(orderId, fact) : undefined;
    if (paidWith) await this.orders.writeAll(orderId, paidWith, { messageId });
    else await this.orders.write(orderId, fact, { messageId });
  }

  /**
   * ADR 0033: the payment decided as the reservation is taken in, so the two are one append and no
   * AuthorizePayment message, worker delivery or extra append follows. Only for an order this report
   * moves to AWAITING_PAYMENT (not a part of an order in several, not a repeat, not one cancelled
   * meanwhile). A crash before the append means the report is delivered again and the gateway, idempotent
   * by order id, gives the same answer. A gateway slower than the inline wait, or one that fails, leaves
   * the payment to the command path: the reservation is recorded at once, so the order shows it awaits
   * payment and a reservation expiring meanwhile is handled as before; the worker asks again (retried).
   */
  private async payInline(orderId: string, reserved: StockReservedFact): Promise<readonly ReportedFact[] | undefined> {
    const decided: StockReservedFact = { ...reserved, data: { ...reserved.data, paymentDecided: true } };
    const { state } = await this.orders.load(orderId);
    if (state.kind !== 'existing') return undefined;
    const recorded = orderDecider.decide(decided, state).find(isInlineReservation);
    if (!recorded) return undefined;
    const { amount, paymentRef } = recorded.data;
    try {
      const asked = this.payments.decide(
        { orderId, amount, ...(paymentRef === undefined ? {} : { paymentRef }) },
        state.order,
      );
      const payment = await settledWithin(asked, this.inlinePaymentWaitMs, undefined);
      if (payment === undefined) {
        this.recordLateAnswer(orderId, asked);
        return undefined;
      }
      // Decided in turn by the writer: if the order moved meanwhile (a cancel), the reservation is ignored and an approval voided.
      return [decided, payment];
    } catch (error) {
      this.onInlinePaymentFailed(error, orderId);
      return undefined;
    }
  }

  /**
   * The gateway still decides after the inline wait: its answer is recorded when it comes, like the
   * payment worker's, so an approval for an order that ended meanwhile (its reservation expired, the
   * customer cancelled) is voided; for one still awaiting payment it is the decision, and the
   * worker's AuthorizePayment then finds the order moved on. A failure is left to the worker's retries.
   */
  private recordLateAnswer(orderId: string, asked: Promise<ReportedFact>): void {
    asked
      .then((fact) => this.orders.write(orderId, fact, { messageId: deterministicId('late-inline-payment', orderId) }))
      .catch((error: unknown) => this.onInlinePaymentFailed(error, orderId));
  }

  /**
   * The order service's own report that an order in parts waited too long for a part's answer
   * (PartsAnswerDeadline). The saga ignores it unless the order still waits; one report per order.
   */
  async reportAnswerTimeout(orderId: string, fact: ReportedFact): Promise<void> {
    await this.orders.write(orderId, fact, { messageId: deterministicId('answer-deadline', orderId) });
  }

  /** Consumer of TOPICS.paymentCommands: the payment worker. */
  async handlePaymentCommand(rawValue: string): Promise<void> {
    await this.payments.handle(parseOrThrow(PaymentCommand, parseRawJson(rawValue)));
  }

  private async tokenize(paymentToken: string): Promise<string> {
    try {
      return await this.gateway.tokenize(paymentToken);
    } catch (error) {
      throw new StockadeError(
        'UNAVAILABLE',
        `payment gateway failed: ${error instanceof Error ? error.message : String(error)}`,
        { retriable: true, cause: error },
      );
    }
  }
}

type StockReservedFact = Extract<ReportedFact, { type: 'StockReserved' }>;

const isInlineReservation = (event: OrderEvent): event is StockReserved =>
  event.type === 'StockReserved' && event.data.paymentDecided === true;
