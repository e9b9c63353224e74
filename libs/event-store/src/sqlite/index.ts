// A separate entry point so that importing '@stockade/event-store' never loads the native module.
export { SqliteEventStore, type SqliteEventStoreOptions } from './sqlite-event-store';
export { SqliteGroupCommit } from './sqlite-group-commit';
export { configureConnection, WAL_AUTOCHECKPOINT_PAGES, type SqliteSynchronous } from './sqlite-connection';
export { ThreadSharedWriteLock, type WriteLock } from './thread-shared-write-lock';
export { makePrivateDatabaseFile, PRIVATE_FILE_MODE } from './private-database-file';
export {
  BackgroundWalCheckpointer,
  type BackgroundWalCheckpointerOptions,
  type CheckpointResult,
} from './background-wal-checkpointer';
