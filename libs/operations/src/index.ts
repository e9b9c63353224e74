export * from './operations-contract';
export * from './operations-ports';
