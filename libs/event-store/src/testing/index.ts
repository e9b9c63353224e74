export { describeEventStoreContract } from './event-store-contract';
export { anEvent, someEvents, uniqueStreamName } from './contract-fixtures';
export { describeSnapshotStoreContract } from './snapshot-store-contract';
