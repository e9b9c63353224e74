export * from './ordering-service';
export * from './create-ordering-service';
export * from './ordering-outbox';
export { PartsAnswerDeadline } from './parts-answer-deadline';
export * from './payment-gateway';
export * from './simulated-payment-gateway';
export * from './payment-messages';
export { DEFAULT_PAYMENT_TIMEOUT_MS } from './payment-worker';
export type { CausingMessage, SagaTelemetry } from './order-stream-writer';
