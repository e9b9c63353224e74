export * from './tokens';
export * from './infrastructure.module';
export * from './start-stockade-app';
export * from './outbox-relay';
export * from './relay-leadership';
export * from './pino-nest-logger';
