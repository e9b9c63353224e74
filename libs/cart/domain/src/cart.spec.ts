import { ManualClock } from '@stockade/kernel';
import {
  beginCheckout,
  CartNotEditable,
  EmptyCart,
  NotForSale,
  openCart,
  pricedLines,
  QuantityUnavailable,
  recordCheckoutOutcome,
  removeLine,
  setLine,
  SkuOffer,
} from './cart';

const clock = new ManualClock('2026-03-01T10:00:00.000Z');
const now = clock.now();
const lamps = (available: number): SkuOffer => ({ available, name: 'Desk lamp', unitPrice: 30 });

describe('a cart', () => {
  const empty = openCart('cart-1', 'alice', now);

  it('given an open cart, when a line is set within available stock, then the cart holds it, without a price', () => {
    const cart = setLine(empty, { sku: 'LAMP', quantity: 2, offer: lamps(5), now });
    expect(cart.lines).toEqual([{ sku: 'LAMP', quantity: 2 }]);
  });

  it('given a line, when its quantity changes, then it keeps its position', () => {
    const cart = setLine(
      setLine(setLine(empty, { sku: 'LAMP', quantity: 2, offer: lamps(5), now }), {
        sku: 'DESK',
        quantity: 1,
        offer: lamps(5),
        now,
      }),
      { sku: 'LAMP', quantity: 4, offer: lamps(5), now },
    );
    expect(cart.lines).toEqual([
      { sku: 'LAMP', quantity: 4 },
      { sku: 'DESK', quantity: 1 },
    ]);
  });

  it('given 2 lamps available, when 3 are asked for, then it is refused with "only 2 available, 3 requested"', () => {
    expect(() => setLine(empty, { sku: 'LAMP', quantity: 3, offer: lamps(2), now })).toThrow(
      new QuantityUnavailable('LAMP', 3, 2),
    );
    expect(() => setLine(empty, { sku: 'LAMP', quantity: 3, offer: lamps(2), now })).toThrow(
      'LAMP: only 2 available, 3 requested',
    );
  });

  it('given an unknown sku, or one in stock without a price in the catalog, when it is added, then it is refused as not for sale', () => {
    expect(() => setLine(empty, { sku: 'GHOST', quantity: 1, offer: undefined, now })).toThrow(
      new NotForSale(['GHOST']),
    );
    expect(() => setLine(empty, { sku: 'UNLISTED', quantity: 1, offer: { available: 9 }, now })).toThrow(
      'UNLISTED: not for sale (no price in the catalog)',
    );
  });

  it('given a cart, when it is priced for a checkout, then each line gets the catalog price now; lines without one are refused together', () => {
    const cart = setLine(setLine(empty, { sku: 'LAMP', quantity: 2, offer: lamps(5), now }), {
      sku: 'DESK',
      quantity: 1,
      offer: lamps(5),
      now,
    });
    expect(
      pricedLines(
        cart,
        new Map([
          ['LAMP', { available: 5, unitPrice: 31.5 }],
          ['DESK', { available: 5, unitPrice: 150 }],
        ]),
      ),
    ).toEqual([
      { sku: 'LAMP', quantity: 2, unitPrice: 31.5 },
      { sku: 'DESK', quantity: 1, unitPrice: 150 },
    ]);
    expect(() => pricedLines(cart, new Map([['LAMP', { available: 5 }]]))).toThrow(
      'LAMP, DESK: not for sale (no price in the catalog)',
    );
  });

  it('given a line, when it is removed, then the cart no longer has it', () => {
    const cart = removeLine(setLine(empty, { sku: 'LAMP', quantity: 1, offer: lamps(5), now }), 'LAMP', now);
    expect(cart.lines).toEqual([]);
  });

  it('given an empty cart, when checkout begins, then it is refused', () => {
    expect(() => beginCheckout(empty, now)).toThrow(EmptyCart);
  });

  it('given a cart checking out, when it is edited, then the edit is refused', () => {
    const { cart } = beginCheckout(setLine(empty, { sku: 'LAMP', quantity: 1, offer: lamps(5), now }), now);
    expect(() => setLine(cart, { sku: 'LAMP', quantity: 2, offer: lamps(5), now })).toThrow(CartNotEditable);
  });

  it('given a rejected checkout, when the outcome arrives, then the cart reopens with its lines and the reasons, and the next checkout gets a new id', () => {
    const withLamp = setLine(empty, { sku: 'LAMP', quantity: 3, offer: lamps(5), now });
    const first = beginCheckout(withLamp, now);
    const reopened = recordCheckoutOutcome(
      first.cart,
      { orderId: first.checkoutId, status: 'REJECTED', reasons: ['LAMP: only 2 available, 3 requested'] },
      now,
    );
    expect(reopened.status).toBe('OPEN');
    expect(reopened.lines).toEqual(withLamp.lines);
    expect(reopened.lastCheckout?.reasons).toEqual(['LAMP: only 2 available, 3 requested']);
    const second = beginCheckout(setLine(reopened, { sku: 'LAMP', quantity: 2, offer: lamps(2), now }), now);
    expect([first.checkoutId, second.checkoutId]).toEqual(['cart-1.1', 'cart-1.2']);
  });

  it('given a completed checkout, when an outcome for an older checkout arrives late, then nothing changes', () => {
    const first = beginCheckout(setLine(empty, { sku: 'LAMP', quantity: 1, offer: lamps(5), now }), now);
    const done = recordCheckoutOutcome(
      first.cart,
      { orderId: first.checkoutId, status: 'COMPLETED', reasons: [] },
      now,
    );
    expect(done.status).toBe('COMPLETED');
    expect(recordCheckoutOutcome(done, { orderId: 'cart-1.0', status: 'REJECTED', reasons: ['late'] }, now)).toBe(done);
  });
});
