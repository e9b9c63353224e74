/**
 * Typed errors with a stable code. The HTTP shell maps codes to status codes in one place;
 * messaging uses `retriable` to decide between retry and the dead-letter topic
 * (kafkajs does the same with its KafkaJSError.retriable).
 */
export type ErrorCode =
  | 'VALIDATION_FAILED'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'UNAUTHORIZED'
  | 'PAYLOAD_TOO_LARGE'
  | 'INVARIANT_VIOLATED'
  | 'FORBIDDEN'
  | 'RATE_LIMITED'
  | 'UNAVAILABLE';

export interface FieldIssue {
  readonly field: string;
  readonly message: string;
}

export class StockadeError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly options: {
      readonly retriable?: boolean;
      readonly issues?: readonly FieldIssue[];
      readonly cause?: unknown;
    } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
  }

  get retriable(): boolean {
    return this.options.retriable ?? false;
  }

  get issues(): readonly FieldIssue[] {
    return this.options.issues ?? [];
  }
}

/** Bad input: an HTTP 400, or a message that goes straight to the dead-letter topic. */
export class ValidationError extends StockadeError {
  constructor(issues: readonly FieldIssue[], message = describeIssues(issues)) {
    super('VALIDATION_FAILED', message, { issues });
  }
}

export class NotFoundError extends StockadeError {
  constructor(what: string, id: string) {
    super('NOT_FOUND', `${what} ${id} not found`);
  }
}

/** A broken domain precondition (e.g. releasing a reservation that was never made). */
export class InvariantViolation extends StockadeError {
  constructor(message: string) {
    super('INVARIANT_VIOLATED', message);
  }
}

export function isRetriable(error: unknown): boolean {
  return error instanceof StockadeError ? error.retriable : false;
}

/**
 * A dependency the caller cannot work without is down (broker, database, cache): retrying later
 * will work, and the failure says nothing about the request. Adapters translate their vendor's
 * connection failures into this shape (UNAVAILABLE, retriable).
 */
export function isOutage(error: unknown): boolean {
  return error instanceof StockadeError && error.code === 'UNAVAILABLE' && error.retriable;
}

function describeIssues(issues: readonly FieldIssue[]): string {
  return issues.map((issue) => `${issue.field}: ${issue.message}`).join('; ');
}
