import { NotFoundError, ValidationError } from '@stockade/kernel';
import { checkoutDecider, CheckoutEvent } from '../checkout/checkout-decider';
import { stockDecider, StockCommand, StockState } from './stock-decider';
import type { StockEvent } from './stock-events';

const SKU = 'LAMP';
const receive = (quantity: number, purchaseOrderId?: string): StockCommand => ({
  type: 'ReceiveStock',
  data: { sku: SKU, quantity, ...(purchaseOrderId ? { purchaseOrderId } : {}) },
});
const adjust = (delta: number): StockCommand => ({ type: 'AdjustStock', data: { sku: SKU, delta, reason: 'count' } });
const configure = (settings: Partial<Extract<StockCommand, { type: 'ConfigureStock' }>['data']>): StockCommand => ({
  type: 'ConfigureStock',
  data: { sku: SKU, lowStockThreshold: null, reorderPoint: null, reorderQuantity: null, ...settings },
});

/** Runs commands one after another against the Stock aggregate, as the writer would. */
function history(commands: readonly StockCommand[]): { events: StockEvent[]; state: StockState } {
  let state = stockDecider.initialState();
  const events: StockEvent[] = [];
  for (const command of commands) {
    const decided = stockDecider.decide(command, state);
    events.push(...decided);
    state = decided.reduce(stockDecider.evolve, state);
  }
  return { events, state };
}
const typesOf = (events: readonly { type: string }[], ...types: string[]) =>
  events.filter((event) => types.includes(event.type));

describe('low-stock alerts', () => {
  it('given a threshold of 5, when available falls from 10 to 5, then LowStockAlertRaised is recorded with the level', () => {
    const { events } = history([receive(10), configure({ lowStockThreshold: 5 }), adjust(-5)]);
    expect(typesOf(events, 'LowStockAlertRaised')).toEqual([
      { type: 'LowStockAlertRaised', data: { sku: SKU, available: 5, threshold: 5, onHand: 5, reserved: 0 } },
    ]);
  });

  it('given a raised alert with hysteresis 2, when available hovers between 4 and 7 around the threshold, then it was raised once and never cleared', () => {
    const hovering = [1, 1, -1, 2, -2, 1, 1, -1, -1, 2].map(adjust);
    const { events, state } = history([
      receive(10),
      configure({ lowStockThreshold: 5, alertHysteresis: 2 }),
      adjust(-6),
      ...hovering,
    ]);
    expect(typesOf(events, 'LowStockAlertRaised')).toHaveLength(1);
    expect(typesOf(events, 'LowStockAlertCleared')).toHaveLength(0);
    expect(state.replenishment.lowStockAlert).toBe(true);
  });

  it('given a raised alert with threshold 5 and hysteresis 2, when available reaches 7, then it stays; at 8 it clears', () => {
    const at7 = history([receive(10), configure({ lowStockThreshold: 5, alertHysteresis: 2 }), adjust(-7), adjust(4)]);
    expect(typesOf(at7.events, 'LowStockAlertCleared')).toHaveLength(0);
    const at8 = history([receive(10), configure({ lowStockThreshold: 5, alertHysteresis: 2 }), adjust(-7), adjust(5)]);
    expect(typesOf(at8.events, 'LowStockAlertCleared')).toEqual([
      { type: 'LowStockAlertCleared', data: { sku: SKU, available: 8, threshold: 5, onHand: 8, reserved: 0 } },
    ]);
  });

  it('given a cleared alert, when available falls to the threshold again, then it is raised again (a new crossing)', () => {
    const { events } = history([
      receive(10),
      configure({ lowStockThreshold: 5, alertHysteresis: 1 }),
      adjust(-6),
      adjust(5),
      adjust(-6),
    ]);
    expect(events.filter((event) => event.type.startsWith('LowStockAlert')).map((event) => event.type)).toEqual([
      'LowStockAlertRaised',
      'LowStockAlertCleared',
      'LowStockAlertRaised',
    ]);
  });

  it('given 3 available, when a threshold of 5 is set, then the alert is raised at once', () => {
    const { events } = history([receive(3), configure({ lowStockThreshold: 5 })]);
    expect(events.map((event) => event.type)).toEqual(['StockReceived', 'StockSettingsChanged', 'LowStockAlertRaised']);
  });

  it('given a raised alert, when the threshold is switched off, then the alert clears', () => {
    const { events } = history([
      receive(3),
      configure({ lowStockThreshold: 5 }),
      configure({ lowStockThreshold: null }),
    ]);
    expect(typesOf(events, 'LowStockAlertCleared')).toEqual([
      { type: 'LowStockAlertCleared', data: { sku: SKU, available: 3, threshold: null, onHand: 3, reserved: 0 } },
    ]);
  });

  it('given no explicit hysteresis, then it is a fifth of the threshold, at least 1', () => {
    expect(
      history([receive(30), configure({ lowStockThreshold: 20 })]).state.replenishment.settings?.alertHysteresis,
    ).toBe(4);
    expect(
      history([receive(30), configure({ lowStockThreshold: 2 })]).state.replenishment.settings?.alertHysteresis,
    ).toBe(1);
  });

  it('given a checkout that takes the SKU to its threshold, when it is reserved, then the alert is part of the same decision (stored in the same append)', () => {
    let state = checkoutDecider.initialState();
    const stock = history([receive(6), configure({ lowStockThreshold: 5 })]).state;
    state = { ...state, stocks: { [SKU]: stock } };
    const events: readonly CheckoutEvent[] = checkoutDecider.decide(
      {
        type: 'ReserveStock',
        data: { checkoutId: 'c1', lines: [{ sku: SKU, quantity: 1 }], ttlMs: 60_000 },
        metadata: { now: new Date('2026-12-02T10:00:00Z') },
      },
      state,
    );
    expect(events.map((event) => event.type)).toEqual(['StockReserved', 'LowStockAlertRaised', 'ReservationAccepted']);
  });
});

describe('reorders', () => {
  const policy = { reorderPoint: 4, reorderQuantity: 20, supplierId: 'ACME' };

  it('given a reorder point of 4, when available falls to 4, then ReorderRequested names a deterministic purchase order', () => {
    const { events } = history([receive(10), configure(policy), adjust(-6)]);
    expect(typesOf(events, 'ReorderRequested')).toEqual([
      {
        type: 'ReorderRequested',
        data: {
          sku: SKU,
          purchaseOrderId: 'PO-LAMP-0001',
          quantity: 20,
          supplierId: 'ACME',
          available: 4,
          reorderPoint: 4,
          onHand: 4,
          reserved: 0,
        },
      },
    ]);
  });

  it('given an open purchase order, when available keeps falling and hovering, then no second order is requested', () => {
    const { events, state } = history([
      receive(10),
      configure(policy),
      adjust(-6),
      adjust(-1),
      adjust(2),
      adjust(-3),
      adjust(1),
    ]);
    expect(typesOf(events, 'ReorderRequested')).toHaveLength(1);
    expect(state.replenishment.openPurchaseOrder).toEqual({ purchaseOrderId: 'PO-LAMP-0001', quantity: 20 });
  });

  it('given an open purchase order, when its delivery is received, then it closes and the units arrive', () => {
    const { events, state } = history([receive(10), configure(policy), adjust(-6), receive(20, 'PO-LAMP-0001')]);
    expect(events.at(-1)).toEqual({
      type: 'StockReceived',
      data: { sku: SKU, quantity: 20, purchaseOrderId: 'PO-LAMP-0001', onHand: 24, reserved: 0 },
    });
    expect(state.replenishment.openPurchaseOrder).toBeUndefined();
  });

  it('given a received purchase order, when the same delivery arrives again, then nothing happens (receipts are idempotent by purchase order)', () => {
    const once = history([receive(10), configure(policy), adjust(-6), receive(20, 'PO-LAMP-0001')]);
    const twice = history([
      receive(10),
      configure(policy),
      adjust(-6),
      receive(20, 'PO-LAMP-0001'),
      receive(20, 'PO-LAMP-0001'),
    ]);
    expect(twice.events).toEqual(once.events);
    expect(twice.state.onHand).toBe(24);
  });

  it('given no such purchase order, when a delivery names it, then it is refused as not found', () => {
    const { state } = history([receive(10), configure(policy), adjust(-6)]);
    expect(() => stockDecider.decide(receive(5, 'PO-LAMP-0002'), state)).toThrow(NotFoundError);
    expect(() => stockDecider.decide(receive(5, 'PO-DESK-0001'), state)).toThrow(NotFoundError);
  });

  it('given a received order, when available falls to the reorder point again, then the next order has the next number', () => {
    const { events } = history([receive(10), configure(policy), adjust(-6), receive(20, 'PO-LAMP-0001'), adjust(-20)]);
    expect(
      typesOf(events, 'ReorderRequested').map(
        (event) => (event as Extract<StockEvent, { type: 'ReorderRequested' }>).data.purchaseOrderId,
      ),
    ).toEqual(['PO-LAMP-0001', 'PO-LAMP-0002']);
  });

  it('given a partial delivery that leaves available at the reorder point, then the receipt closes the order and a new one is requested at once', () => {
    const { events, state } = history([receive(10), configure(policy), adjust(-8), receive(1, 'PO-LAMP-0001')]);
    expect(events.slice(-2).map((event) => event.type)).toEqual(['StockReceived', 'ReorderRequested']);
    expect(state.replenishment.openPurchaseOrder?.purchaseOrderId).toBe('PO-LAMP-0002');
  });

  it('given the same history decided twice, then the purchase order ids are the same (a retried batch names the same order)', () => {
    const commands = [receive(10), configure(policy), adjust(-6), receive(20, 'PO-LAMP-0001'), adjust(-22)];
    expect(history(commands).events).toEqual(history(commands).events);
  });
});

describe('stock settings', () => {
  it('given an unknown SKU, when it is configured, then it is not found', () => {
    expect(() => history([configure({ lowStockThreshold: 5 })])).toThrow(NotFoundError);
  });

  it.each([
    ['a negative threshold', { lowStockThreshold: -1 }, 'lowStockThreshold'],
    ['a fractional hysteresis', { lowStockThreshold: 5, alertHysteresis: 1.5 }, 'alertHysteresis'],
    ['a reorder point without a quantity', { reorderPoint: 3 }, 'reorderQuantity'],
    ['a reorder quantity of 0', { reorderPoint: 3, reorderQuantity: 0 }, 'reorderQuantity'],
  ])('given %s, then the settings are refused naming the field', (_case, settings, field) => {
    const { state } = history([receive(10)]);
    try {
      stockDecider.decide(configure(settings), state);
      throw new Error('expected the settings to be refused');
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).issues.map((issue) => issue.field)).toContain(field);
    }
  });

  it('given a SKU without settings, when it changes, then no replenishment event appears (the hot path)', () => {
    const { events } = history([receive(3), adjust(-3)]);
    expect(events.map((event) => event.type)).toEqual(['StockReceived', 'StockAdjusted']);
  });
});
