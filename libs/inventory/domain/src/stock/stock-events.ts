import type { DomainEvent } from '../domain-event';

/** What a SKU is sold as: set by an operator (SetListing), priced under the money rule (ADR 0022). */
export interface Listing {
  readonly name: string;
  readonly unitPrice: number;
}

/**
 * Levels after the event, and the SKU's listing then (absent until it is listed). Every stock
 * event carries them so a projection or the outbox can turn one event into a stock level message
 * without reading the stream: the latest event of a SKU says its level and its price, which is
 * all a compacted stock-levels topic or a rebuild keeps.
 */
export interface StockLevels {
  readonly onHand: number;
  readonly reserved: number;
  readonly listing?: Listing;
}

/** Goods arrived; `purchaseOrderId` when they answer one of this SKU's purchase orders (the receipt closes it). */
export type StockReceived = DomainEvent<
  'StockReceived',
  { sku: string; quantity: number; purchaseOrderId?: string } & StockLevels
>;

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
export type StockCommitted = DomainEvent<
  'StockCommitted',
  { sku: string; checkoutId: string; quantity: number } & StockLevels
>;

/** An operator listed the SKU (or changed its name or price); levels unchanged. Every later event carries this listing. */
export type ProductListed = DomainEvent<'ProductListed', { sku: string; listing: Listing } & StockLevels>;

/** An operator's low-stock and reorder settings (see StockSettings); levels unchanged. */
export type StockSettingsChanged = DomainEvent<
  'StockSettingsChanged',
  {
    sku: string;
    lowStockThreshold: number | null;
    alertHysteresis: number;
    reorderPoint: number | null;
    reorderQuantity: number | null;
    supplierId: string | null;
  } & StockLevels
>;

/** Available fell to the threshold or below; raised once until it clears. */
export type LowStockAlertRaised = DomainEvent<
  'LowStockAlertRaised',
  { sku: string; available: number; threshold: number } & StockLevels
>;

/** Available climbed above threshold + hysteresis (or the threshold was switched off: `threshold` null). */
export type LowStockAlertCleared = DomainEvent<
  'LowStockAlertCleared',
  { sku: string; available: number; threshold: number | null } & StockLevels
>;

/** Available reached the reorder point with no purchase order open: one is requested, with a deterministic id. */
export type ReorderRequested = DomainEvent<
  'ReorderRequested',
  {
    sku: string;
    purchaseOrderId: string;
    quantity: number;
    supplierId: string | null;
    available: number;
    reorderPoint: number;
  } & StockLevels
>;

export type ReplenishmentEvent = StockSettingsChanged | LowStockAlertRaised | LowStockAlertCleared | ReorderRequested;

export type StockEvent =
  StockReceived | StockAdjusted | StockReserved | StockReleased | StockCommitted | ProductListed | ReplenishmentEvent;

export const STOCK_EVENT_TYPES: readonly StockEvent['type'][] = [
  'StockReceived',
  'StockAdjusted',
  'StockReserved',
  'StockReleased',
  'StockCommitted',
  'ProductListed',
  'StockSettingsChanged',
  'LowStockAlertRaised',
  'LowStockAlertCleared',
  'ReorderRequested',
];

/** Events that change no level: the stock-levels topic has nothing new to say about them. */
export const REPLENISHMENT_EVENT_TYPES: readonly ReplenishmentEvent['type'][] = [
  'StockSettingsChanged',
  'LowStockAlertRaised',
  'LowStockAlertCleared',
  'ReorderRequested',
];

const REPLENISHMENT_TYPES: ReadonlySet<string> = new Set(REPLENISHMENT_EVENT_TYPES);

export function isReplenishmentEvent(event: { readonly type: string }): event is ReplenishmentEvent {
  return REPLENISHMENT_TYPES.has(event.type);
}

const STOCK_TYPES: ReadonlySet<string> = new Set(STOCK_EVENT_TYPES);

export function isStockEvent(event: { readonly type: string }): event is StockEvent {
  return STOCK_TYPES.has(event.type);
}
