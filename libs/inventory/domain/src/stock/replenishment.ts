import { ValidationError } from '@stockade/kernel';
import { levelsAfter } from './listing';
import type { StockEvent, StockLevels } from './stock-events';

/**
 * An operator's per-SKU settings: when to warn (low-stock threshold) and when and how much to
 * reorder (reorder point and quantity, optionally from a named supplier). Null switches a part off.
 */
export interface StockSettings {
  readonly lowStockThreshold: number | null;
  /** The alert clears only once available climbs above threshold + hysteresis, so a SKU hovering at the line does not flap. */
  readonly alertHysteresis: number;
  readonly reorderPoint: number | null;
  readonly reorderQuantity: number | null;
  readonly supplierId: string | null;
}

export interface OpenPurchaseOrder {
  readonly purchaseOrderId: string;
  readonly quantity: number;
}

/** What the Stock aggregate remembers to raise each alert and each reorder once per crossing. */
export interface ReplenishmentState {
  readonly settings: StockSettings | undefined;
  readonly lowStockAlert: boolean;
  readonly openPurchaseOrder: OpenPurchaseOrder | undefined;
  /** How many purchase orders this SKU has issued: the next one's number, so its id is deterministic. */
  readonly purchaseOrdersIssued: number;
}

export const initialReplenishment = (): ReplenishmentState => ({
  settings: undefined,
  lowStockAlert: false,
  openPurchaseOrder: undefined,
  purchaseOrdersIssued: 0,
});

/** Without an explicit hysteresis: a fifth of the threshold, at least one unit. */
export const defaultAlertHysteresis = (threshold: number | null): number =>
  Math.max(1, Math.ceil((threshold ?? 0) / 5));

/**
 * The n-th purchase order of a SKU. Deterministic, so the same crossing decided twice (a retried
 * batch, a replayed command) names the same order, and a supplier's receipt can be matched to it.
 */
export const purchaseOrderIdFor = (sku: string, sequence: number): string =>
  `PO-${sku}-${String(sequence).padStart(4, '0')}`;

/** True when `purchaseOrderId` is one of this SKU's purchase orders issued so far (open or received). */
export function wasIssued(sku: string, purchaseOrderId: string, replenishment: ReplenishmentState): boolean {
  const prefix = `PO-${sku}-`;
  if (!purchaseOrderId.startsWith(prefix)) return false;
  const sequence = Number(purchaseOrderId.slice(prefix.length));
  return (
    Number.isInteger(sequence) &&
    sequence >= 1 &&
    sequence <= replenishment.purchaseOrdersIssued &&
    purchaseOrderIdFor(sku, sequence) === purchaseOrderId
  );
}

export function validateSettings(settings: StockSettings): void {
  const issues: { field: string; message: string }[] = [];
  const wholeAtLeast = (field: string, value: number | null, least: number) => {
    if (value !== null && (!Number.isInteger(value) || value < least))
      issues.push({ field, message: `must be a whole number of at least ${least}` });
  };
  wholeAtLeast('lowStockThreshold', settings.lowStockThreshold, 0);
  wholeAtLeast('alertHysteresis', settings.alertHysteresis, 0);
  wholeAtLeast('reorderPoint', settings.reorderPoint, 0);
  wholeAtLeast('reorderQuantity', settings.reorderQuantity, 1);
  if ((settings.reorderPoint === null) !== (settings.reorderQuantity === null)) {
    issues.push({
      field: settings.reorderPoint === null ? 'reorderPoint' : 'reorderQuantity',
      message: 'a reorder policy needs both a reorder point and a reorder quantity',
    });
  }
  if (issues.length > 0) throw new ValidationError(issues);
}

/** The replenishment part of evolving a stock event; levels are evolved by evolveStock. */
export function evolveReplenishment(state: ReplenishmentState, event: StockEvent): ReplenishmentState {
  switch (event.type) {
    case 'StockSettingsChanged': {
      const { lowStockThreshold, alertHysteresis, reorderPoint, reorderQuantity, supplierId } = event.data;
      return { ...state, settings: { lowStockThreshold, alertHysteresis, reorderPoint, reorderQuantity, supplierId } };
    }
    case 'LowStockAlertRaised':
      return { ...state, lowStockAlert: true };
    case 'LowStockAlertCleared':
      return { ...state, lowStockAlert: false };
    case 'ReorderRequested':
      return {
        ...state,
        openPurchaseOrder: { purchaseOrderId: event.data.purchaseOrderId, quantity: event.data.quantity },
        purchaseOrdersIssued: state.purchaseOrdersIssued + 1,
      };
    case 'StockReceived':
      return event.data.purchaseOrderId !== undefined &&
        state.openPurchaseOrder?.purchaseOrderId === event.data.purchaseOrderId
        ? { ...state, openPurchaseOrder: undefined }
        : state;
    default:
      return state;
  }
}

/**
 * The events a stock change leads to, given the levels and replenishment after it: the alert
 * raised when available falls to the threshold or below (once), cleared only above threshold +
 * hysteresis; a purchase order requested when available is at or below the reorder point and
 * none is open (so once per crossing: not again until that order is received).
 */
export function replenishmentFollowUps(sku: string, levels: StockLevels, state: ReplenishmentState): StockEvent[] {
  const { settings } = state;
  if (settings === undefined) return [];
  const available = levels.onHand - levels.reserved;
  const onLevels = levelsAfter(levels.onHand, levels.reserved, levels.listing);
  const events: StockEvent[] = [];
  const threshold = settings.lowStockThreshold;
  if (threshold !== null && !state.lowStockAlert && available <= threshold) {
    events.push({ type: 'LowStockAlertRaised', data: { sku, available, threshold, ...onLevels } });
  } else if (state.lowStockAlert && (threshold === null || available > threshold + settings.alertHysteresis)) {
    events.push({ type: 'LowStockAlertCleared', data: { sku, available, threshold, ...onLevels } });
  }
  if (
    settings.reorderPoint !== null &&
    settings.reorderQuantity !== null &&
    state.openPurchaseOrder === undefined &&
    available <= settings.reorderPoint
  ) {
    const purchaseOrderId = purchaseOrderIdFor(sku, state.purchaseOrdersIssued + 1);
    events.push({
      type: 'ReorderRequested',
      data: {
        sku,
        purchaseOrderId,
        quantity: settings.reorderQuantity,
        supplierId: settings.supplierId,
        available,
        reorderPoint: settings.reorderPoint,
        ...onLevels,
      },
    });
  }
  return events;
}
