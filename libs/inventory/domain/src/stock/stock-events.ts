import type { DomainEvent } from '../domain-event';

/**
 * Levels after the event. Every stock event carries them so a projection or the outbox can
 * turn one event into a stock level message without reading the stream.
 */
export interface StockLevels {
  readonly onHand: number;
  readonly reserved: number;
}

export type StockReceived = DomainEvent<'StockReceived', { sku: string; quantity: number } & StockLevels>;

/** A count correction (damage, shrinkage, found goods); `delta` may be negative. */
export type StockAdjusted = DomainEvent<'StockAdjusted', { sku: string; delta: number; reason: string } & StockLevels>;

export type StockReserved = DomainEvent<
  'StockReserved',
  { sku: string; checkoutId: string; quantity: number; expiresAt: string } & StockLevels
>;

export type StockReleaseReason = 'released' | 'expired';

export type StockReleased = DomainEvent<
  'StockReleased',
  { sku: string; checkoutId: string; quantity: number; reason: StockReleaseReason } & StockLevels
>;

/** Sold: the units leave both onHand and reserved, so `available` does not change. */
export type StockCommitted = DomainEvent<'StockCommitted', { sku: string; checkoutId: string; quantity: number } & StockLevels>;

export type StockEvent = StockReceived | StockAdjusted | StockReserved | StockReleased | StockCommitted;

export const STOCK_EVENT_TYPES: readonly StockEvent['type'][] = [
  'StockReceived',
  'StockAdjusted',
  'StockReserved',
  'StockReleased',
  'StockCommitted',
];

export function isStockEvent(event: { readonly type: string }): event is StockEvent {
  return (STOCK_EVENT_TYPES as readonly string[]).includes(event.type);
}
