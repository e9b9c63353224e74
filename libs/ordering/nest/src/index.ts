export * from './ordering.module';
export * from './ordering.tokens';
export * from './orders.facade';
export * from './orders.controller';
