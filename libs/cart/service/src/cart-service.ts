import { randomUUID } from 'node:crypto';
import {
  beginCheckout,
  Cart,
  openCart,
  pricedLines,
  recordCheckoutOutcome,
  removeLine,
  reopenFor,
  setLine,
} from '@stockade/cart-domain';
import {
  CheckoutRequestedData,
  DEFAULT_LIMITED_THRESHOLD,
  OrderOutcome,
  parseOrThrow,
  stockStatus,
  totalOf,
  TOPICS,
} from '@stockade/contracts';
import { Clock, deterministicId, NotFoundError, StockadeError } from '@stockade/kernel';
import type { MessagePublisher } from '@stockade/messaging';
import type { CartRepository, PaymentTokenizer, StockAvailability } from './ports';

/** A line as the shopper sees it: the catalog's name and current price (absent for a SKU no longer offered), and availability. */
export interface CartLineView {
  readonly sku: string;
  readonly quantity: number;
  readonly name?: string;
  readonly unitPrice?: number;
  /** quantity × unitPrice, summed in minor units. */
  readonly lineTotal?: number;
  readonly available: number;
  readonly badge: 'IN_STOCK' | 'LIMITED' | 'OUT_OF_STOCK';
}

export interface CartView extends Omit<Cart, 'lines'> {
  readonly lines: readonly CartLineView[];
  readonly total: number;
}

export interface CartServiceDependencies {
  readonly carts: CartRepository;
  readonly stock: StockAvailability;
  /** Where checkouts are published: the bus itself, or the Nest client over it. */
  readonly bus: MessagePublisher;
  /** The payment gateway's token exchange: checkouts are published with its reference, never the token. */
  readonly payments: PaymentTokenizer;
  readonly clock: Clock;
  readonly limitedThreshold?: number;
  readonly checkoutTopic?: string;
}

/**
 * The cart application service: stock-aware edits, badges, and checkout, which publishes
 * CheckoutRequested.v1 on the same topic upstream publishers use, so the order service
 * cannot tell a cart from any other storefront.
 */
export class CartService {
  constructor(private readonly deps: CartServiceDependencies) {}

  /** Idempotent for the cart's customer; a cart id another customer's cart has is refused (CartIdTaken, 409). */
  async create(request: { cartId?: string; customerId?: string }): Promise<CartView> {
    const cartId = request.cartId ?? randomUUID();
    const customerId = request.customerId ?? 'guest';
    const existing = await this.deps.carts.find(cartId);
    if (existing) return this.view(reopenFor(existing, customerId));
    const cart = openCart(cartId, customerId, this.deps.clock.now());
    await this.deps.carts.save(cart);
    return this.view(cart);
  }

  async get(cartId: string): Promise<CartView> {
    return this.view(await this.load(cartId));
  }

  /** Only the quantity is the shopper's: the price is the catalog's (a SKU without one is not for sale). */
  async setItem(cartId: string, sku: string, change: { quantity: number }): Promise<CartView> {
    const offer = (await this.deps.stock.offers([sku])).get(sku);
    return this.view(
      await this.edit(cartId, (cart) =>
        setLine(cart, { sku, quantity: change.quantity, offer, now: this.deps.clock.now() }),
      ),
    );
  }

  async removeItem(cartId: string, sku: string): Promise<CartView> {
    return this.view(await this.edit(cartId, (cart) => removeLine(cart, sku, this.deps.clock.now())));
  }

  /**
   * Load, change, save; when another instance saved the same cart in between (a retriable
   * conflict from a compare-and-set repository), the change is applied again to the fresh cart.
   */
  private async edit(cartId: string, change: (cart: Cart) => Cart, attempts = 3): Promise<Cart> {
    for (let attempt = 1; ; attempt++) {
      const updated = change(await this.load(cartId));
      try {
        await this.deps.carts.save(updated);
        return updated;
      } catch (error) {
        const lostRace = error instanceof StockadeError && error.code === 'CONFLICT' && error.retriable;
        if (!lostRace || attempt >= attempts) throw error;
      }
    }
  }

  /**
   * Publishes the checkout first, then marks the cart: a crash in between leaves an open cart whose
   * retry reuses the checkout id. The lines go at the catalog's prices now. The payment token is
   * exchanged first: the message carries the gateway's reference, never the token.
   */
  async checkout(cartId: string, paymentToken?: string): Promise<{ orderId: string }> {
    const cart = await this.load(cartId);
    const now = this.deps.clock.now();
    const { cart: checkingOut, checkoutId } = beginCheckout(cart, now);
    const lines = pricedLines(checkingOut, await this.deps.stock.offers(checkingOut.lines.map((line) => line.sku)));
    const paymentRef = paymentToken ? await this.tokenize(paymentToken) : undefined;
    const request = parseOrThrow(CheckoutRequestedData, {
      checkoutId,
      customerId: checkingOut.customerId,
      lines,
      ...(paymentRef ? { paymentRef } : {}),
    });
    await this.deps.bus.publish(this.deps.checkoutTopic ?? TOPICS.checkoutRequested, [
      {
        key: checkoutId,
        value: {
          messageId: deterministicId('CheckoutRequested', checkoutId),
          type: 'CheckoutRequested.v1',
          correlationId: checkoutId,
          causationId: `cart:${cartId}`,
          occurredAt: now.toISOString(),
          data: request,
        },
      },
    ]);
    await this.deps.carts.save(checkingOut);
    return { orderId: checkoutId };
  }

  /** Handler for order.events: reopens a cart whose checkout was rejected or cancelled. */
  async handleOrderOutcome(rawValue: string): Promise<void> {
    const outcome = parseOrThrow(OrderOutcome, JSON.parse(rawValue));
    const orderId = outcome.data.orderId;
    const cartId = orderId.slice(0, orderId.lastIndexOf('.'));
    const cart = cartId ? await this.deps.carts.find(cartId) : undefined;
    if (!cart) return; // not a cart checkout (an upstream publisher's), nothing to update
    const status =
      outcome.type === 'OrderCompleted.v1'
        ? 'COMPLETED'
        : outcome.type === 'OrderRejected.v1'
          ? 'REJECTED'
          : 'CANCELLED';
    const reasons = 'reasons' in outcome.data ? outcome.data.reasons : [];
    const updated = recordCheckoutOutcome(cart, { orderId, status, reasons }, this.deps.clock.now());
    if (updated !== cart) await this.deps.carts.save(updated);
  }

  private async tokenize(paymentToken: string): Promise<string> {
    try {
      return await this.deps.payments.tokenize(paymentToken);
    } catch (error) {
      throw new StockadeError(
        'UNAVAILABLE',
        `payment gateway failed: ${error instanceof Error ? error.message : String(error)}`,
        { retriable: true, cause: error },
      );
    }
  }

  private async load(cartId: string): Promise<Cart> {
    const cart = await this.deps.carts.find(cartId);
    if (!cart) throw new NotFoundError('cart', cartId);
    return cart;
  }

  private async view(cart: Cart): Promise<CartView> {
    const offers = await this.deps.stock.offers(cart.lines.map((line) => line.sku));
    const threshold = this.deps.limitedThreshold ?? DEFAULT_LIMITED_THRESHOLD;
    const lines = cart.lines.map(({ sku, quantity }): CartLineView => {
      const offer = offers.get(sku);
      const available = Math.max(0, offer?.available ?? 0);
      const priced =
        offer?.unitPrice === undefined
          ? {}
          : { unitPrice: offer.unitPrice, lineTotal: totalOf([{ quantity, unitPrice: offer.unitPrice }]) };
      return {
        sku,
        quantity,
        ...(offer?.name === undefined ? {} : { name: offer.name }),
        ...priced,
        available,
        badge: stockStatus(available, threshold),
      };
    });
    const total = totalOf(
      lines.flatMap((line) =>
        line.unitPrice === undefined ? [] : [{ quantity: line.quantity, unitPrice: line.unitPrice }],
      ),
    );
    return { ...cart, lines, total };
  }
}
