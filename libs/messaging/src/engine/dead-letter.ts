import { StockadeError } from '@stockade/kernel';
import { DLQ_HEADERS } from '../message-bus';
import type { LogRecord, StoredMessage } from '../log/message-log';

export interface DeadLetterCause {
  readonly error: unknown;
  readonly attempts: number;
  readonly groupId: string;
  readonly failedAt: Date;
}

/**
 * The dead letter keeps the original key, bytes and headers, so replaying it is publishing
 * it back; the DLQ_HEADERS say why it failed and where it came from.
 */
export function deadLetterFor(message: StoredMessage, cause: DeadLetterCause, partition: number): LogRecord {
  return {
    partition,
    key: message.key,
    value: message.value,
    headers: {
      ...message.headers,
      [DLQ_HEADERS.error]: errorMessage(cause.error),
      [DLQ_HEADERS.errorCode]: errorCode(cause.error),
      [DLQ_HEADERS.originalTopic]: message.topic,
      [DLQ_HEADERS.originalPartition]: String(message.partition),
      [DLQ_HEADERS.originalOffset]: String(message.offset),
      [DLQ_HEADERS.attempts]: String(cause.attempts),
      [DLQ_HEADERS.groupId]: cause.groupId,
      [DLQ_HEADERS.failedAt]: cause.failedAt.toISOString(),
    },
  };
}

/** Our codes for StockadeErrors, a Node/driver code (`SQLITE_BUSY`, `ECONNRESET`) if there is one, else the error's name. */
function errorCode(error: unknown): string {
  if (error instanceof StockadeError) return error.code;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code.length > 0) return code;
  return error instanceof Error ? error.name : 'UNKNOWN';
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
