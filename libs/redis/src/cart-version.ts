import type { Cart } from '@stockade/cart-domain';

/**
 * The stored version of a cart travels on the cart object itself, under a symbol key, because
 * the CartRepository port (find → change → save) has no place for it and Cart is a domain type.
 * Why a symbol: object spread copies own enumerable symbol properties, so every domain
 * function that derives a cart with `{ ...cart, ... }` carries the version along untouched,
 * while JSON.stringify ignores it, so it never shows up in HTTP views or the stored JSON.
 * A cart that was never loaded (openCart) has no version: saving it means "create, if absent".
 */
export const CART_VERSION: unique symbol = Symbol('stockade.cartVersion');

type Versioned = Cart & { [CART_VERSION]?: number };

/** The version the cart was loaded at (0: a new cart, never stored). */
export function versionOf(cart: Cart): number {
  return (cart as Versioned)[CART_VERSION] ?? 0;
}

export function withVersion(cart: Cart, version: number): Cart {
  return { ...cart, [CART_VERSION]: version } as Versioned;
}

/**
 * After a successful save the caller's object becomes the stored version, so a caller that
 * keeps editing the same chain of carts does not conflict with itself. Frozen carts are left
 * alone (the next save from them conflicts, which is safe, just less convenient).
 */
export function stampVersion(cart: Cart, version: number): void {
  if (Object.isExtensible(cart)) (cart as { [CART_VERSION]?: number })[CART_VERSION] = version;
}
