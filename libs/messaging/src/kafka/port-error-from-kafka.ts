import { StockadeError } from '@stockade/kernel';

/** Broker refusals that no retry fixes, by kafkajs protocol error type. */
const TOO_LARGE = new Set(['MESSAGE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE', 'MESSAGE_SIZE_TOO_LARGE']);
const INVALID_REQUEST = new Set([
  'INVALID_TOPIC_EXCEPTION',
  'INVALID_PARTITIONS',
  'INVALID_REPLICATION_FACTOR',
  'INVALID_CONFIG',
  'INVALID_GROUP_ID',
]);
const NOT_ALLOWED = new Set([
  'TOPIC_AUTHORIZATION_FAILED',
  'GROUP_AUTHORIZATION_FAILED',
  'CLUSTER_AUTHORIZATION_FAILED',
  'SASL_AUTHENTICATION_FAILED',
]);
/** kafkajs gives up on these after its own retries, but the broker may well be back later. */
const OUTAGE = new Set([
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSNumberOfRetriesExceeded',
  'KafkaJSNoBrokerAvailableError',
  'KafkaJSBrokerNotFound',
  'KafkaJSTimeout',
  'KafkaJSLockTimeout',
  'KafkaJSGroupCoordinatorNotFound',
]);

interface KafkaJsErrorShape {
  readonly name: string;
  readonly message: string;
  readonly retriable?: boolean;
  readonly type?: string;
}

/**
 * Callers of the port know StockadeErrors, not kafkajs: a vendor error becomes one with a code
 * a caller can act on, keeping whether it is worth retrying. Anything that is not a kafkajs
 * error (ours, a bug) passes through untouched.
 */
export function portErrorFromKafka(error: unknown, doing: string): unknown {
  if (error instanceof StockadeError || !isKafkaJsError(error)) return error;
  const message = `Kafka ${doing} failed: ${error.message}`;
  const type =
    error.type ?? (error.name === 'KafkaJSSASLAuthenticationError' ? 'SASL_AUTHENTICATION_FAILED' : undefined);
  if (type && TOO_LARGE.has(type)) return new StockadeError('PAYLOAD_TOO_LARGE', message, { cause: error });
  if (type && INVALID_REQUEST.has(type))
    return new StockadeError('VALIDATION_FAILED', message, {
      cause: error,
      issues: [{ field: 'kafka', message: error.message }],
    });
  if (type && NOT_ALLOWED.has(type)) return new StockadeError('UNAUTHORIZED', message, { cause: error });
  const retriable = OUTAGE.has(error.name) || error.retriable === true;
  return new StockadeError('UNAVAILABLE', message, { cause: error, retriable });
}

function isKafkaJsError(error: unknown): error is KafkaJsErrorShape {
  return error instanceof Error && error.name.startsWith('KafkaJS');
}
