export * from './cart.module';
export * from './cart.tokens';
export * from './carts.facade';
export * from './carts.controller';
