// A separate entry point so that importing '@stockade/messaging' never loads the native module.
export { SqliteMessageBus, type SqliteMessageBusOptions } from './sqlite-message-bus';
export { SqliteMessageLog } from './sqlite-message-log';
