export * from './order-events';
export * from './order-inputs';
export * from './order-state';
export * from './order-transitions';
export * from './order-errors';
export * from './order-decider';
export * from './order-view';
