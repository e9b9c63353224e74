export * from './bus-context';
export * from './bus-consumer-options';
export * from './message-bus-server';
export * from './message-bus-client';
export * from './pass-errors-to-bus.filter';
