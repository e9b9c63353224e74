import { assertNever, Decider, NotFoundError, ValidationError } from '@stockade/kernel';
import type { DomainCommand } from '../domain-event';
import {
  defaultAlertHysteresis,
  evolveReplenishment,
  initialReplenishment,
  replenishmentFollowUps,
  ReplenishmentState,
  validateSettings,
  wasIssued,
} from './replenishment';
import { levelsAfter, sameListing, validateListing } from './listing';
import { InsufficientStock, StockAdjustmentRefused } from './stock-errors';
import type { StockEvent, StockLevels, StockReleaseReason } from './stock-events';

/**
 * The Stock aggregate: one stream per SKU. Its invariant is `onHand - reserved >= 0`; every
 * command that could break it is refused before an event exists.
 */
export interface StockState extends StockLevels {
  readonly sku: string;
  /** False until the first receipt or listing: a SKU comes into being when goods arrive or an operator lists it. */
  readonly exists: boolean;
  /** Units held per checkout, so a release or commit knows how many to give back or sell. */
  readonly reservations: Readonly<Record<string, number>>;
  /** Low-stock alert and reorder settings and where they stand. */
  readonly replenishment: ReplenishmentState;
}

/** `purchaseOrderId` for goods answering one of the SKU's purchase orders: receipts are idempotent by it. */
export type ReceiveStock = DomainCommand<'ReceiveStock', { sku: string; quantity: number; purchaseOrderId?: string }>;
export type AdjustStock = DomainCommand<'AdjustStock', { sku: string; delta: number; reason: string }>;
export type ReserveUnits = DomainCommand<
  'ReserveUnits',
  { sku: string; checkoutId: string; quantity: number; expiresAt: string }
>;
export type ReleaseUnits = DomainCommand<
  'ReleaseUnits',
  { sku: string; checkoutId: string; reason: StockReleaseReason }
>;
export type CommitUnits = DomainCommand<'CommitUnits', { sku: string; checkoutId: string }>;

/** Null switches the alert or the reorder policy off; hysteresis defaults to defaultAlertHysteresis. */
export type ConfigureStock = DomainCommand<
  'ConfigureStock',
  {
    sku: string;
    lowStockThreshold: number | null;
    alertHysteresis?: number;
    reorderPoint: number | null;
    reorderQuantity: number | null;
    supplierId?: string | null;
  }
>;

/** What the SKU is sold as (name and price, ADR 0022). A repeat of its current listing changes nothing; a SKU may be listed before its first receipt. */
export type SetListing = DomainCommand<'SetListing', { sku: string; name: string; unitPrice: number }>;

export type StockCommand =
  ReceiveStock | AdjustStock | ReserveUnits | ReleaseUnits | CommitUnits | ConfigureStock | SetListing;

export const availableOf = (stock: StockLevels): number => stock.onHand - stock.reserved;

export const initialStockState = (): StockState => ({
  sku: '',
  exists: false,
  onHand: 0,
  reserved: 0,
  reservations: {},
  replenishment: initialReplenishment(),
});

/**
 * The command's own events, then what they lead to under the SKU's replenishment settings (an
 * alert raised or cleared, a purchase order requested), decided on the levels after them. A SKU
 * without settings (the hot path of most checkouts) skips the second part at the cost of one check.
 */
export function decideStock(command: StockCommand, state: StockState): readonly StockEvent[] {
  const events = decideStockChange(command, state);
  if (events.length === 0 || (state.replenishment.settings === undefined && command.type !== 'ConfigureStock'))
    return events;
  const last = events[events.length - 1] as StockEvent;
  const replenishment = events.reduce(evolveReplenishment, state.replenishment);
  return [...events, ...replenishmentFollowUps(last.data.sku, last.data, replenishment)];
}

function decideStockChange(command: StockCommand, state: StockState): readonly StockEvent[] {
  // Every event records the levels after it and carries the SKU's listing along (see StockLevels).
  const after = (onHand: number, reserved: number) => levelsAfter(onHand, reserved, state.listing);
  switch (command.type) {
    case 'ReceiveStock': {
      const { sku, quantity, purchaseOrderId } = command.data;
      requirePositiveWhole('quantity', quantity);
      if (purchaseOrderId === undefined)
        return [{ type: 'StockReceived', data: { sku, quantity, ...after(state.onHand + quantity, state.reserved) } }];
      // A purchase order is received once: a repeated delivery note changes nothing.
      if (state.replenishment.openPurchaseOrder?.purchaseOrderId !== purchaseOrderId) {
        if (wasIssued(sku, purchaseOrderId, state.replenishment)) return [];
        throw new NotFoundError('purchase order', purchaseOrderId);
      }
      return [
        {
          type: 'StockReceived',
          data: { sku, quantity, purchaseOrderId, ...after(state.onHand + quantity, state.reserved) },
        },
      ];
    }
    case 'SetListing': {
      const { sku, name, unitPrice } = command.data;
      const listing = { name, unitPrice };
      validateListing(listing);
      if (sameListing(state.listing, listing)) return [];
      return [{ type: 'ProductListed', data: { sku, listing, onHand: state.onHand, reserved: state.reserved } }];
    }
    case 'ConfigureStock': {
      const { sku, lowStockThreshold, reorderPoint, reorderQuantity } = command.data;
      if (!state.exists) throw new NotFoundError('sku', sku);
      const settings = {
        lowStockThreshold,
        alertHysteresis: command.data.alertHysteresis ?? defaultAlertHysteresis(lowStockThreshold),
        reorderPoint,
        reorderQuantity,
        supplierId: command.data.supplierId ?? null,
      };
      validateSettings(settings);
      return [{ type: 'StockSettingsChanged', data: { sku, ...settings, ...after(state.onHand, state.reserved) } }];
    }
    case 'AdjustStock': {
      const { sku, delta, reason } = command.data;
      if (!state.exists) throw new NotFoundError('sku', sku);
      if (!Number.isInteger(delta) || delta === 0)
        throw new ValidationError([{ field: 'delta', message: 'must be a whole number other than 0' }]);
      if (availableOf(state) + delta < 0) throw new StockAdjustmentRefused(sku, delta, state.onHand, state.reserved);
      return [{ type: 'StockAdjusted', data: { sku, delta, reason, ...after(state.onHand + delta, state.reserved) } }];
    }
    case 'ReserveUnits': {
      const { sku, checkoutId, quantity, expiresAt } = command.data;
      requirePositiveWhole('quantity', quantity);
      if (state.reservations[checkoutId] !== undefined) return []; // already holds units: a repeat
      if (quantity > availableOf(state)) throw new InsufficientStock(sku, quantity, availableOf(state));
      return [
        {
          type: 'StockReserved',
          data: { sku, checkoutId, quantity, expiresAt, ...after(state.onHand, state.reserved + quantity) },
        },
      ];
    }
    case 'ReleaseUnits': {
      const { sku, checkoutId, reason } = command.data;
      const quantity = state.reservations[checkoutId];
      if (quantity === undefined) return [];
      return [
        {
          type: 'StockReleased',
          data: { sku, checkoutId, quantity, reason, ...after(state.onHand, state.reserved - quantity) },
        },
      ];
    }
    case 'CommitUnits': {
      const { sku, checkoutId } = command.data;
      const quantity = state.reservations[checkoutId];
      if (quantity === undefined) return [];
      return [
        {
          type: 'StockCommitted',
          data: { sku, checkoutId, quantity, ...after(state.onHand - quantity, state.reserved - quantity) },
        },
      ];
    }
    default:
      return assertNever(command, 'stock command');
  }
}

/**
 * Levels come from the event itself (they are the levels after it); only the holds are derived.
 * The listing changes with ProductListed alone: the copy other events carry is for projections.
 */
export function evolveStock(state: StockState, event: StockEvent): StockState {
  const levels = { sku: event.data.sku, exists: true, onHand: event.data.onHand, reserved: event.data.reserved };
  switch (event.type) {
    case 'ProductListed':
      return { ...state, ...levels, listing: event.data.listing };
    case 'StockReceived':
    case 'StockSettingsChanged':
    case 'LowStockAlertRaised':
    case 'LowStockAlertCleared':
    case 'ReorderRequested':
      return { ...state, ...levels, replenishment: evolveReplenishment(state.replenishment, event) };
    case 'StockAdjusted':
      return { ...state, ...levels };
    case 'StockReserved':
      return {
        ...state,
        ...levels,
        reservations: { ...state.reservations, [event.data.checkoutId]: event.data.quantity },
      };
    case 'StockReleased':
    case 'StockCommitted':
      return { ...state, ...levels, reservations: withoutKey(state.reservations, event.data.checkoutId) };
    default:
      return assertNever(event, 'stock event');
  }
}

export const stockDecider: Decider<StockCommand, StockEvent, StockState> = {
  decide: decideStock,
  evolve: evolveStock,
  initialState: initialStockState,
};

function requirePositiveWhole(field: string, value: number): void {
  if (!Number.isInteger(value) || value <= 0)
    throw new ValidationError([{ field, message: 'must be a whole number of at least 1' }]);
}

function withoutKey(record: Readonly<Record<string, number>>, key: string): Readonly<Record<string, number>> {
  const { [key]: _removed, ...rest } = record;
  return rest;
}
