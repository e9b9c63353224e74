export * from './operations-contract';
export * from './operations-ports';
export * from './story-operations';
export { describeEvent } from './describe-event';
export * from './dead-letters';
export * from './rebuild';
