export * from './ordering.module';
export * from './ordering.tokens';
