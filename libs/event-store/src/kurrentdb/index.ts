// A separate entry point so that importing '@stockade/event-store' never loads the gRPC client.
export { KurrentEventStore, type KurrentEventStoreOptions } from './kurrent-event-store';
