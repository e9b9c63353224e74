export * from './event-store';
export * from './snapshot-store';
export * from './errors';
export * from './memory/in-memory-event-store';
export * from './group-commit/group-commit-event-store';
export * from './memory/in-memory-snapshot-store';
