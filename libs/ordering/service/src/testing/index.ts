export * from './sharded-system';
