import type { AuthorizePayment } from '@stockade/contracts';
import { assertNever, StockadeError } from '@stockade/kernel';
import type { PlacedOrder, ReportedFact } from '@stockade/ordering-domain';
import type { OrderStreamWriter } from './order-stream-writer';
import type { PaymentDecision, PaymentGateway } from './payment-gateway';
import type { PaymentCommand } from './payment-messages';
import { settledWithin } from './settled-within';

export const DEFAULT_PAYMENT_TIMEOUT_MS = 10_000;

/**
 * Carries out the saga's payment commands against the gateway and reports the outcome back
 * to the order. The command is a durable message, so a crash mid-call means it runs again;
 * the gateway is idempotent by order id, and an order that moved on is left alone.
 */
export class PaymentWorker {
  constructor(
    private readonly gateway: PaymentGateway,
    private readonly orders: OrderStreamWriter,
    private readonly timeoutMs: number = DEFAULT_PAYMENT_TIMEOUT_MS,
  ) {}

  async handle(command: PaymentCommand): Promise<void> {
    switch (command.type) {
      case 'AuthorizePayment.v1':
        return this.authorize(command);
      case 'VoidPayment.v1':
        return this.gateway.void(command.data.orderId).catch((error: unknown) => {
          throw gatewayFailure(error);
        });
      default:
        return assertNever(command, 'payment command');
    }
  }

  private async authorize(command: AuthorizePayment): Promise<void> {
    const { orderId } = command.data;
    const { state } = await this.orders.load(orderId);
    // Redelivered after the order moved on (or for an order we do not know): nothing to pay for.
    if (state.kind !== 'existing' || state.phase !== 'AWAITING_PAYMENT') return;
    const decision = await this.decide(command.data, state.order);
    // Not queued behind the gateway call: the order may have moved meanwhile, and the saga decides what a late answer means.
    await this.orders.write(orderId, decision, { messageId: command.messageId });
  }

  /**
   * Asks the gateway, within the timeout, and returns what it decided as the fact the saga
   * records: authorized, declined or timed out. Throws a retriable error when the gateway cannot
   * answer. Used by the command path above and inline, as inventory's answer is taken in (ADR 0033).
   */
  async decide(request: AuthorizePayment['data'], order: PlacedOrder): Promise<ReportedFact> {
    const { orderId, amount } = request;
    const paymentRef = await this.referenceFor(request, order);
    const decision = await settledWithin(
      this.gateway
        .authorize({ orderId, amount, ...(paymentRef === undefined ? {} : { paymentRef }) })
        .catch((error: unknown) => Promise.reject(gatewayFailure(error))),
      this.timeoutMs,
      'timed-out' as const,
    );
    return toFact(orderId, decision);
  }

  /**
   * The reference to pay with: the command's, or the order's. An order or a message written before
   * ADR 0021 has the shopper's token instead; it is exchanged here, in memory, and never written again.
   */
  private async referenceFor(data: AuthorizePayment['data'], order: PlacedOrder): Promise<string | undefined> {
    const reference = data.paymentRef ?? order.paymentRef;
    const token = data.paymentToken ?? order.legacyPaymentToken;
    if (reference !== undefined || token === undefined) return reference;
    return this.gateway.tokenize(token).catch((error: unknown) => Promise.reject(gatewayFailure(error)));
  }
}

function toFact(orderId: string, decision: PaymentDecision | 'timed-out'): ReportedFact {
  if (decision === 'timed-out') return { type: 'PaymentTimedOut', data: { orderId } };
  switch (decision.outcome) {
    case 'approved':
      return { type: 'PaymentAuthorized', data: { orderId } };
    case 'declined':
      return { type: 'PaymentDeclined', data: { orderId, reason: decision.reason } };
    default:
      return assertNever(decision, 'payment decision');
  }
}

/** A gateway that cannot answer is a transient failure: retriable, so the bus tries again. */
function gatewayFailure(error: unknown): StockadeError {
  if (error instanceof StockadeError) return error;
  return new StockadeError(
    'UNAVAILABLE',
    `payment gateway failed: ${error instanceof Error ? error.message : String(error)}`,
    {
      retriable: true,
      cause: error,
    },
  );
}
