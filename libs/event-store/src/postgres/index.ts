// A separate entry point so that importing '@stockade/event-store' never loads pg.
export { PostgresEventStore, type PostgresEventStoreOptions } from './postgres-event-store';
