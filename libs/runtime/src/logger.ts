import pino, { DestinationStream, Logger } from 'pino';

/**
 * Keys whose values never reach a log line, at the top level or one or two objects down (pino's
 * `redact` paths are explicit; `*` is one level). Tokens grant access, payment tokens (and the
 * gateway's references for them, ADR 0021) stand for a card, and a Kafka SASL password is a
 * credential: an operator's log store is not the place for them.
 */
const SECRET_KEYS = [
  'token',
  'apiToken',
  'operatorToken',
  'paymentToken',
  'paymentRef',
  'authorization',
  'cookie',
  'password',
  'KAFKA_SASL_PASSWORD',
  'STOCKADE_OPERATOR_TOKEN',
  'STOCKADE_API_TOKEN',
  'STOCKADE_UPSTREAM_TOKENS',
  'STOCKADE_METRICS_TOKEN',
];
export const REDACTED_PATHS = SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]);

/** Structured JSON logs (pino): one line per event, cheap enough for the hot path's error cases. */
export function createLogger(level: string, name = 'stockade', destination?: DestinationStream): Logger {
  const options = { name, level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } };
  return destination ? pino(options, destination) : pino(options);
}

export type { Logger };
