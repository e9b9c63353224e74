export * from './cart.module';
export * from './cart.tokens';
