export * from './message-bus-contract';
export { waitUntil } from './contract-fixtures';
