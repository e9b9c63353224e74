import type { RecordedEvent } from '@stockade/event-store';
import { describeEvent } from './describe-event';

const recorded = (type: string, data: Record<string, unknown>): RecordedEvent => ({
  id: 'e1',
  stream: `stock-${String(data['sku'])}`,
  type,
  data,
  metadata: { correlationId: 'c', causationId: 'c', occurredAt: '2026-12-02T10:00:00.000Z' },
  version: 3,
  position: 9,
  recordedAt: '2026-12-02T10:00:00.000Z',
});

describe('describeEvent for replenishment', () => {
  it.each([
    [
      'LowStockAlertRaised',
      { sku: 'LAMP', available: 2, threshold: 3, onHand: 2, reserved: 0 },
      'LOW STOCK: LAMP down to 2 available (threshold 3)',
      'bad',
    ],
    [
      'LowStockAlertCleared',
      { sku: 'LAMP', available: 9, threshold: 3, onHand: 9, reserved: 0 },
      'low-stock alert of LAMP cleared: 9 available (threshold 3)',
      'good',
    ],
    [
      'ReorderRequested',
      {
        sku: 'LAMP',
        purchaseOrderId: 'PO-LAMP-0001',
        quantity: 20,
        supplierId: 'ACME',
        available: 2,
        reorderPoint: 2,
        onHand: 2,
        reserved: 0,
      },
      'purchase order PO-LAMP-0001: 20 × LAMP from ACME (available 2, reorder point 2)',
      'neutral',
    ],
    [
      'StockReceived',
      { sku: 'LAMP', quantity: 20, purchaseOrderId: 'PO-LAMP-0001', onHand: 22, reserved: 0 },
      'received 20 × LAMP against purchase order PO-LAMP-0001',
      'good',
    ],
    [
      'ProductListed',
      { sku: 'LAMP', listing: { name: 'Desk lamp', unitPrice: 39.5 }, onHand: 9, reserved: 0 },
      'LAMP listed as "Desk lamp" at 39.5',
      'neutral',
    ],
    [
      'StockSettingsChanged',
      {
        sku: 'LAMP',
        lowStockThreshold: 3,
        alertHysteresis: 1,
        reorderPoint: null,
        reorderQuantity: null,
        supplierId: null,
        onHand: 9,
        reserved: 0,
      },
      'settings of LAMP: alert at 3 or below, clearing above 4; no reorder',
      'neutral',
    ],
  ])('given a %s event, then the operator reads it in plain words', (type, data, summary, tone) => {
    const described = describeEvent(recorded(type, data), 'inventory');
    expect(described.summary).toContain(summary);
    expect(described).toMatchObject({ tone, skus: ['LAMP'] });
  });
});
