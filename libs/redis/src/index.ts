export * from './connect-redis';
export * from './redis-readiness';
export * from './redis-errors';
export { CART_VERSION, versionOf } from './cart-version';
export * from './redis-cart-repository';
export * from './redis-stock-level-cache';
