export * from './operations-contract';
