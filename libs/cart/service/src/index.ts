export * from './ports';
export * from './cart-service';
export * from './stock-level-cache';
