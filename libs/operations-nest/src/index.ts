export * from './operations.tokens';
export * from './operations.controller';
export * from './rebuild.controller';
