import type { RecordedEvent } from '@stockade/event-store';
import { parseStoredType } from '@stockade/ordering-domain';
import type { EventSource, OperatorEvent } from './operations-contract';
import { redactSecrets } from './secret-redaction';

type Data = Readonly<Record<string, unknown>>;

const str = (value: unknown): string =>
  typeof value === 'string' ? value : value === undefined ? '?' : JSON.stringify(value);
const levels = (data: Data): string =>
  `on hand ${str(data.onHand)}, reserved ${str(data.reserved)}, available ${Number(data.onHand) - Number(data.reserved)}`;
const linesOf = (data: Data): string =>
  Array.isArray(data.lines)
    ? (data.lines as { sku: string; quantity: number }[]).map((line) => `${line.quantity} × ${line.sku}`).join(', ')
    : '';
const reasonsOf = (data: Data): string => (Array.isArray(data.reasons) ? (data.reasons as string[]).join('; ') : '');

/** Plain words and a tone per event type; unknown types still show, with their data. */
const DESCRIPTIONS: Record<string, (data: Data) => { summary: string; tone: OperatorEvent['tone'] }> = {
  OrderPlaced: (data) => ({
    summary: `order placed by ${str(data.customerId)}: ${linesOf(data)}, total ${str(data.total)}`,
    tone: 'neutral',
  }),
  StockReservationRequested: () => ({ summary: 'stock reservation requested', tone: 'neutral' }),
  StockReserved: (data) =>
    data.sku !== undefined
      ? {
          summary: `${str(data.quantity)} × ${str(data.sku)} held for checkout ${str(data.checkoutId)} until ${str(data.expiresAt)} (${levels(data)})`,
          tone: 'neutral',
        }
      : {
          summary: `stock held until ${str(data.expiresAt)}; payment of ${str(data.amount)} asked for`,
          tone: 'neutral',
        },
  PaymentAuthorized: () => ({ summary: 'payment authorized; the reservation commit is asked for', tone: 'good' }),
  PaymentDeclined: (data) => ({ summary: `payment declined: ${str(data.reason)}`, tone: 'bad' }),
  PaymentTimedOut: () => ({ summary: 'no payment answer in time; the stock is released', tone: 'bad' }),
  OrderCancellationRequested: () => ({ summary: 'the customer asked to cancel; the stock is released', tone: 'bad' }),
  PaymentVoidRequested: (data) => ({ summary: `payment void requested: ${str(data.reason)}`, tone: 'bad' }),
  OrderCompleted: (data) => ({ summary: `order completed: ${linesOf(data)}, total ${str(data.total)}`, tone: 'good' }),
  OrderRejected: (data) => ({ summary: `order rejected: ${reasonsOf(data)}`, tone: 'bad' }),
  OrderCancelled: (data) => ({ summary: `order cancelled: ${reasonsOf(data)}`, tone: 'bad' }),
  ReservationAccepted: (data) => ({
    summary: `reservation accepted: ${linesOf(data)} until ${str(data.expiresAt)}`,
    tone: 'neutral',
  }),
  ReservationRejected: (data) => ({
    summary: `reservation rejected: ${Array.isArray(data.shortLines) ? (data.shortLines as { reason: string }[]).map((line) => line.reason).join('; ') : ''}`,
    tone: 'bad',
  }),
  ReservationReleased: (data) => ({ summary: `reservation released: ${str(data.reason)}`, tone: 'bad' }),
  ReservationExpired: () => ({ summary: 'reservation expired: the stock went back', tone: 'bad' }),
  ReservationCommitted: () => ({ summary: 'reservation committed: the units are sold', tone: 'good' }),
  ReservationCommitRefused: (data) => ({ summary: `reservation commit refused: ${str(data.reason)}`, tone: 'bad' }),
  StockReceived: (data) => ({
    summary: `received ${str(data.quantity)} × ${str(data.sku)}${typeof data.purchaseOrderId === 'string' ? ` against purchase order ${data.purchaseOrderId}` : ''} (${levels(data)})`,
    tone: 'good',
  }),
  ProductListed: (data) => {
    const listing = (data.listing ?? {}) as Data;
    return {
      summary: `${str(data.sku)} listed as "${str(listing.name)}" at ${str(listing.unitPrice)}`,
      tone: 'neutral',
    };
  },
  StockSettingsChanged: (data) => ({ summary: `settings of ${str(data.sku)}: ${settingsOf(data)}`, tone: 'neutral' }),
  LowStockAlertRaised: (data) => ({
    summary: `LOW STOCK: ${str(data.sku)} down to ${str(data.available)} available (threshold ${str(data.threshold)})`,
    tone: 'bad',
  }),
  LowStockAlertCleared: (data) => ({
    summary: `low-stock alert of ${str(data.sku)} cleared: ${str(data.available)} available${data.threshold === null ? ' (threshold switched off)' : ` (threshold ${str(data.threshold)})`}`,
    tone: 'good',
  }),
  ReorderRequested: (data) => ({
    summary: `purchase order ${str(data.purchaseOrderId)}: ${str(data.quantity)} × ${str(data.sku)}${data.supplierId ? ` from ${str(data.supplierId)}` : ''} (available ${str(data.available)}, reorder point ${str(data.reorderPoint)})`,
    tone: 'neutral',
  }),
  StockAdjusted: (data) => ({
    summary: `adjusted ${str(data.sku)} by ${str(data.delta)}: ${str(data.reason)} (${levels(data)})`,
    tone: 'neutral',
  }),
  StockReleased: (data) => ({
    summary: `${str(data.quantity)} × ${str(data.sku)} released (${str(data.reason)}) for checkout ${str(data.checkoutId)} (${levels(data)})`,
    tone: 'bad',
  }),
  StockCommitted: (data) => ({
    summary: `${str(data.quantity)} × ${str(data.sku)} sold to checkout ${str(data.checkoutId)} (${levels(data)})`,
    tone: 'good',
  }),
};

function settingsOf(data: Data): string {
  const alert =
    data.lowStockThreshold === null
      ? 'no low-stock alert'
      : `alert at ${str(data.lowStockThreshold)} or below, clearing above ${Number(data.lowStockThreshold) + Number(data.alertHysteresis)}`;
  const reorder =
    data.reorderPoint === null
      ? 'no reorder'
      : `reorder ${str(data.reorderQuantity)} at ${str(data.reorderPoint)} or below${data.supplierId ? ` from ${str(data.supplierId)}` : ''}`;
  return `${alert}; ${reorder}`;
}

/** The order id, checkout id and SKUs an event names (the order id is the checkout id). */
function subjectsOf(stream: string, data: Data): Pick<OperatorEvent, 'orderId' | 'checkoutId' | 'skus'> {
  const id =
    typeof data.orderId === 'string' ? data.orderId : typeof data.checkoutId === 'string' ? data.checkoutId : undefined;
  const fromStream = /^(?:order|reservation)-(.+)$/.exec(stream)?.[1];
  const orderId = id ?? fromStream;
  const skus = new Set<string>();
  if (typeof data.sku === 'string') skus.add(data.sku);
  if (Array.isArray(data.lines))
    for (const line of data.lines as { sku?: unknown }[]) if (typeof line.sku === 'string') skus.add(line.sku);
  if (Array.isArray(data.shortLines))
    for (const line of data.shortLines as { sku?: unknown }[]) if (typeof line.sku === 'string') skus.add(line.sku);
  return { ...(orderId ? { orderId, checkoutId: orderId } : {}), ...(skus.size > 0 ? { skus: [...skus] } : {}) };
}

/** One stored event as an operator reads it: payment tokens and references redacted (secret-redaction.ts). */
export function describeEvent(recorded: RecordedEvent, source: EventSource): OperatorEvent {
  const [type] = parseStoredType(recorded.type);
  const shown = redactSecrets(recorded.data);
  const data = (shown ?? {}) as Data;
  const described = DESCRIPTIONS[type]?.(data) ?? {
    summary: `${type} ${JSON.stringify(data)}`,
    tone: 'neutral' as const,
  };
  return {
    source,
    stream: recorded.stream,
    version: recorded.version,
    position: recorded.position,
    type,
    recordedAt: recorded.recordedAt,
    correlationId: recorded.metadata.correlationId,
    causationId: recorded.metadata.causationId,
    ...subjectsOf(recorded.stream, data),
    tone: described.tone,
    summary: described.summary,
    data: shown,
  };
}
