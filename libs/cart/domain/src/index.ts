export * from './cart';
export * from './stock-badge';
