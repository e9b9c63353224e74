import type { StockOffer } from '@stockade/contracts';
import { StockadeError } from '@stockade/kernel';

/**
 * A shopper's cart. Not event-sourced: a cart is a scratch pad (a Redis hash with a TTL in
 * the distributed mode) and stock is only promised by inventory's reservation at checkout.
 * Every change returns a new cart; a refused change throws a typed error.
 *
 * A line holds what the shopper chose, never a price: prices are the catalog's, read when the
 * cart is shown and when it checks out (ADR 0022), so a shopper cannot set one.
 */
export interface CartLine {
  readonly sku: string;
  readonly quantity: number;
}

/** What the shop offers of a SKU now (inventory's published offer): availability and, once listed, name and price. */
export type SkuOffer = StockOffer;

export type CartStatus = 'OPEN' | 'CHECKING_OUT' | 'COMPLETED';

export interface LastCheckout {
  readonly orderId: string;
  readonly status: 'PENDING' | 'COMPLETED' | 'REJECTED' | 'CANCELLED';
  readonly reasons: readonly string[];
}

export interface Cart {
  readonly cartId: string;
  readonly customerId: string;
  readonly status: CartStatus;
  readonly lines: readonly CartLine[];
  /** How many checkouts this cart has started; part of the next checkout id. */
  readonly checkoutAttempts: number;
  readonly lastCheckout?: LastCheckout;
  readonly updatedAt: string;
}

/** The shopper asked for more than inventory can give. Same wording as a rejected checkout line. */
export class QuantityUnavailable extends StockadeError {
  constructor(
    readonly sku: string,
    readonly requested: number,
    readonly available: number,
  ) {
    super('CONFLICT', `${sku}: only ${available} available, ${requested} requested`);
  }
}

/** A SKU without a price in the catalog (never listed, or unknown) cannot go in a cart or be checked out. */
export class NotForSale extends StockadeError {
  constructor(readonly skus: readonly string[]) {
    super('CONFLICT', `${skus.join(', ')}: not for sale (no price in the catalog)`);
  }
}

export class CartNotEditable extends StockadeError {
  constructor(cartId: string, status: CartStatus) {
    super('CONFLICT', `cart ${cartId} is ${status}: wait for the checkout outcome or start a new cart`);
  }
}

/**
 * A cart id names one customer's cart: creating it again for the same customer is the same cart,
 * for another customer a conflict (HTTP 409) that tells nothing about the cart that has it.
 */
export class CartIdTaken extends StockadeError {
  constructor(cartId: string) {
    super('CONFLICT', `cart ${cartId} already exists for another customer: choose another cartId`, {
      issues: [{ field: 'cartId', message: 'already used for another customer' }],
    });
  }
}

export class EmptyCart extends StockadeError {
  constructor(cartId: string) {
    super('VALIDATION_FAILED', `cart ${cartId} has no lines to check out`, {
      issues: [{ field: 'lines', message: 'must have at least one line' }],
    });
  }
}

export function openCart(cartId: string, customerId: string, now: Date): Cart {
  return { cartId, customerId, status: 'OPEN', lines: [], checkoutAttempts: 0, updatedAt: now.toISOString() };
}

/** Creating a cart that exists: the same cart for its customer (an idempotent create), refused for anyone else. */
export function reopenFor(existing: Cart, customerId: string): Cart {
  if (existing.customerId !== customerId) throw new CartIdTaken(existing.cartId);
  return existing;
}

/**
 * Sets a line's quantity. `offer` is what the shop offers of the SKU now (undefined: unknown): a
 * SKU without a price is not for sale, and no more can be asked for than is available.
 */
export function setLine(
  cart: Cart,
  change: { sku: string; quantity: number; offer: SkuOffer | undefined; now: Date },
): Cart {
  assertEditable(cart);
  if (change.offer?.unitPrice === undefined) throw new NotForSale([change.sku]);
  const available = change.offer.available;
  if (change.quantity > available) throw new QuantityUnavailable(change.sku, change.quantity, available);
  const existing = cart.lines.find((line) => line.sku === change.sku);
  const line: CartLine = { sku: change.sku, quantity: change.quantity };
  const lines = existing ? cart.lines.map((l) => (l.sku === change.sku ? line : l)) : [...cart.lines, line];
  return { ...cart, lines, updatedAt: change.now.toISOString() };
}

/**
 * The cart's lines at the catalog's prices now, as a checkout sends them. Lines whose SKU has no
 * price (an old cart's line of a SKU never listed) are refused together, naming each.
 */
export function pricedLines(
  cart: Cart,
  offers: ReadonlyMap<string, SkuOffer | undefined>,
): { sku: string; quantity: number; unitPrice: number }[] {
  const unpriced = cart.lines.filter((line) => offers.get(line.sku)?.unitPrice === undefined).map((line) => line.sku);
  if (unpriced.length > 0) throw new NotForSale(unpriced);
  return cart.lines.map(({ sku, quantity }) => ({ sku, quantity, unitPrice: offers.get(sku)?.unitPrice as number }));
}

export function removeLine(cart: Cart, sku: string, now: Date): Cart {
  assertEditable(cart);
  return { ...cart, lines: cart.lines.filter((line) => line.sku !== sku), updatedAt: now.toISOString() };
}

/** Starts a checkout: the id is `<cartId>.<attempt>` so a cart fixed after a rejection can try again. */
export function beginCheckout(cart: Cart, now: Date): { cart: Cart; checkoutId: string } {
  assertEditable(cart);
  if (cart.lines.length === 0) throw new EmptyCart(cart.cartId);
  const attempt = cart.checkoutAttempts + 1;
  const checkoutId = `${cart.cartId}.${attempt}`;
  return {
    checkoutId,
    cart: {
      ...cart,
      status: 'CHECKING_OUT',
      checkoutAttempts: attempt,
      lastCheckout: { orderId: checkoutId, status: 'PENDING', reasons: [] },
      updatedAt: now.toISOString(),
    },
  };
}

/**
 * Applies an order outcome. A rejected or cancelled checkout reopens the cart with its lines
 * and the reasons, for the shopper to fix; a completed one closes it. Outcomes for an older
 * checkout of this cart (redelivered or late) change nothing.
 */
export function recordCheckoutOutcome(cart: Cart, outcome: LastCheckout, now: Date): Cart {
  if (cart.lastCheckout?.orderId !== outcome.orderId || cart.status !== 'CHECKING_OUT') return cart;
  const status: CartStatus =
    outcome.status === 'COMPLETED' ? 'COMPLETED' : outcome.status === 'PENDING' ? 'CHECKING_OUT' : 'OPEN';
  return { ...cart, status, lastCheckout: outcome, updatedAt: now.toISOString() };
}

function assertEditable(cart: Cart): void {
  if (cart.status !== 'OPEN') throw new CartNotEditable(cart.cartId, cart.status);
}
