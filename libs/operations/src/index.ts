export * from './operations-contract';
export * from './operations-ports';
export * from './story-operations';
export { describeEvent } from './describe-event';
export { redactSecrets, REDACTED } from './secret-redaction';
export * from './dead-letters';
export * from './rebuild';
export * from './reservation-release';
