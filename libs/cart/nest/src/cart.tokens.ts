/** The cart service's own providers. */
export const CART_STORAGE = Symbol('CartStorage');
export const CART_SERVICE = Symbol('CartService');
