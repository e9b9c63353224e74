export * from './primitives';
export * from './http';
export * from './envelope';
export * from './messages';
export * from './validation';
export * from './asyncapi';
export * from './message-catalog';
export * from './operations';
