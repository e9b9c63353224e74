import { randomUUID } from 'node:crypto';
import { CheckoutRequest, TOPICS } from '@stockade/contracts';
import { InMemoryEventStore } from '@stockade/event-store';
import { ManualClock } from '@stockade/kernel';
import type { RelayedMessage } from '@stockade/messaging';
import { orderStreamName } from '@stockade/ordering-domain';
import { createOrderingService } from '../create-ordering-service';
import type { PaymentGateway } from '../payment-gateway';
import { PaymentRule, SimulatedPaymentGateway, TokenRule } from '../simulated-payment-gateway';

/**
 * The order service on an in-memory store, with the relay and inventory played by hand:
 * `published()` is what the relay would send, `inventory.*` builds the raw values inventory
 * would answer with (build one once and deliver it twice to simulate a redelivery).
 */
export function orderingTestbed(
  options: {
    paymentTimeoutMs?: number;
    rules?: readonly PaymentRule[];
    tokenRules?: readonly TokenRule[];
    paymentGateway?: PaymentGateway;
    channels?: readonly string[];
    /**
     * How long to wait for the gateway inline as the reservation is taken in (ADR 0033). 0 here by
     * default, so a test drives the command path with `runPaymentWorker`; the inline path has its own spec.
     */
    inlinePaymentWaitMs?: number;
    /** Inventory shards (ADR 0020): orders whose lines live on several are placed in parts. */
    inventoryShards?: number;
  } = {},
) {
  const clock = new ManualClock('2026-03-01T10:00:00.000Z');
  const store = new InMemoryEventStore(() => clock.now());
  const gateway = new SimulatedPaymentGateway({
    ...(options.rules ? { rules: options.rules } : {}),
    ...(options.tokenRules ? { tokenRules: options.tokenRules } : {}),
  });
  const inlinePaymentFailures: unknown[] = [];
  const { service, outbox } = createOrderingService({
    store,
    clock,
    paymentGateway: options.paymentGateway ?? gateway,
    ...(options.paymentTimeoutMs === undefined ? {} : { paymentTimeoutMs: options.paymentTimeoutMs }),
    ...(options.channels ? { channels: options.channels } : {}),
    inlinePaymentWaitMs: options.inlinePaymentWaitMs ?? 0,
    ...(options.inventoryShards === undefined ? {} : { inventoryShards: options.inventoryShards }),
    onInlinePaymentFailed: (error) => inlinePaymentFailures.push(error),
  });

  const published = async (): Promise<RelayedMessage[]> => (await store.readAll()).flatMap(outbox);

  return {
    clock,
    store,
    gateway,
    service,
    outbox,
    published,
    /** What the gateway failed with inline (the order then paid by command). */
    inlinePaymentFailures,
    /** `topic type` of every published message, in publish order. */
    publishedTypes: async () =>
      (await published()).map(({ topic, message }) => `${topic} ${(message.value as { type: string }).type}`),
    eventTypes: async (orderId: string) =>
      (await store.readStream(orderStreamName(orderId))).map((event) => event.type),
    /** Hands the latest payment command for the order to the payment worker, as the bus would. */
    runPaymentWorker: async (orderId: string) => {
      const command = (await published())
        .filter(({ topic, message }) => topic === TOPICS.paymentCommands && message.key === orderId)
        .at(-1);
      if (!command) throw new Error(`no payment command for ${orderId}`);
      await service.handlePaymentCommand(JSON.stringify(command.message.value));
    },
  };
}

export type OrderingTestbed = ReturnType<typeof orderingTestbed>;

/** A gateway that answers only when the test says so, to land an approval after other news. */
export function gatewayHoldingItsAnswer() {
  let approve = (): void => undefined;
  let markAsked = (): void => undefined;
  const asked = new Promise<void>((resolve) => (markAsked = resolve));
  const gateway: PaymentGateway = {
    tokenize: async (token) => `ref-of-${token.length}`,
    authorize: () => {
      markAsked();
      return new Promise((resolve) => (approve = () => resolve({ outcome: 'approved' })));
    },
    void: async () => undefined,
  };
  return { gateway, asked, approve: () => approve() };
}

export function checkout(overrides: Partial<CheckoutRequest> = {}): CheckoutRequest {
  return {
    checkoutId: `chk-${randomUUID()}`,
    customerId: 'cust-7',
    lines: [
      { sku: 'LAMP', quantity: 2, unitPrice: 19.99 },
      { sku: 'DESK', quantity: 1, unitPrice: 150 },
    ],
    paymentToken: 'tok-visa',
    ...overrides,
  };
}

export function envelopeValue(type: string, data: Record<string, unknown>, correlationId: string): string {
  return JSON.stringify({
    messageId: randomUUID(),
    type,
    correlationId,
    causationId: randomUUID(),
    occurredAt: '2026-03-01T10:00:01.000Z',
    data,
  });
}

export const inventory = {
  reserved: (checkoutId: string) =>
    envelopeValue(
      'StockReserved.v1',
      {
        checkoutId,
        lines: [
          { sku: 'LAMP', quantity: 2 },
          { sku: 'DESK', quantity: 1 },
        ],
        expiresAt: '2026-03-01T10:15:00.000Z',
      },
      checkoutId,
    ),
  rejected: (checkoutId: string) =>
    envelopeValue(
      'StockReservationRejected.v1',
      {
        checkoutId,
        shortLines: [
          { sku: 'LAMP', requested: 2, available: 1, reason: 'LAMP: only 1 available, 2 requested' },
          { sku: 'DESK', requested: 1, available: 0, reason: 'DESK: only 0 available, 1 requested' },
        ],
      },
      checkoutId,
    ),
  released: (checkoutId: string) =>
    envelopeValue('ReservationReleased.v1', { checkoutId, reason: 'released on request' }, checkoutId),
  expired: (checkoutId: string) => envelopeValue('ReservationExpired.v1', { checkoutId }, checkoutId),
  committed: (checkoutId: string) => envelopeValue('ReservationCommitted.v1', { checkoutId }, checkoutId),
  commitRefused: (checkoutId: string) =>
    envelopeValue('ReservationCommitRefused.v1', { checkoutId, reason: 'reservation expired' }, checkoutId),
};
