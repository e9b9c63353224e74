import { createHash } from 'node:crypto';
import type { SkuOffer } from '@stockade/cart-domain';
import type { MessagePublisher, OutgoingMessage } from '@stockade/messaging';
import type { PaymentTokenizer, StockAvailability } from '../ports';

/** Test doubles and messages for cart tests, shared by the in-memory and the Redis specs. */

export interface PublishedMessage {
  readonly topic: string;
  readonly message: OutgoingMessage;
}

/** A bus that records what is published and delivers nothing. */
export function recordingBus(
  published: PublishedMessage[] = [],
): MessagePublisher & { readonly published: PublishedMessage[] } {
  return {
    published,
    publish: async (topic, messages) => void messages.forEach((message) => published.push({ topic, message })),
  };
}

/** A gateway's token exchange: `ref-<8 hex of a hash>`, never the token. */
export const referenceTokenizer: PaymentTokenizer = {
  tokenize: async (paymentToken) => `ref-${createHash('sha256').update(paymentToken).digest('hex').slice(0, 8)}`,
};

/** A StockLevelChanged.v1 value as the inventory outbox publishes it; with `listing`, of a listed SKU. */
export function stockLevelMessage(
  sku: string,
  available: number,
  occurredAt = '2026-01-01T00:00:00.000Z',
  messageId = `m-${sku}-${available}-${occurredAt}`,
  listing?: { readonly name: string; readonly unitPrice: number },
): string {
  return JSON.stringify({
    messageId,
    type: 'StockLevelChanged.v1',
    correlationId: sku,
    causationId: 'test',
    occurredAt,
    data: {
      sku,
      onHand: available + 1,
      reserved: 1,
      available,
      status: available > 5 ? 'IN_STOCK' : available > 0 ? 'LIMITED' : 'OUT_OF_STOCK',
      ...listing,
    },
  });
}

/** A StockAvailability over fixed offers, for cart tests: `{ LAMP: { available: 3, unitPrice: 30 } }`. */
export function fixedOffers(offers: Readonly<Record<string, SkuOffer | undefined>>): StockAvailability {
  return { offers: async (skus) => new Map(skus.map((sku) => [sku, offers[sku]])) };
}

/** An order outcome (OrderCompleted.v1, OrderRejected.v1, OrderCancelled.v1) for a cart's checkout. */
export function orderOutcomeMessage(
  type: 'OrderCompleted.v1' | 'OrderRejected.v1' | 'OrderCancelled.v1',
  orderId: string,
  reasons: string[] = ['test reason'],
): string {
  return JSON.stringify({
    messageId: `m-${orderId}-${type}`,
    type,
    correlationId: orderId,
    causationId: 'test',
    occurredAt: '2026-01-01T00:00:00.000Z',
    data:
      type === 'OrderCompleted.v1'
        ? { orderId, customerId: 'alice', lines: [], total: 0 }
        : { orderId, customerId: 'alice', reasons },
  });
}
