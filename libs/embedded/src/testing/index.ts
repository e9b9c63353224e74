export * from './test-system';
export * from './stock-history';
export * from './eventually';
