import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { ErrorCode, StockadeError } from '@stockade/kernel';
import type { ReplyLike } from './reply';
import { UpstreamRefusal } from './upstream-refusal';

const STATUS_BY_CODE: Record<ErrorCode, number> = {
  VALIDATION_FAILED: 400,
  UNAUTHORIZED: 401,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  INVARIANT_VIOLATED: 409,
  FORBIDDEN: 403,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
};

/** What the error answer needs of a request: for the log line and to close a connection whose body was never read. */
export interface AnsweredRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly routeOptions?: { readonly url?: string };
}

/**
 * The one place where errors become HTTP responses: `{ error, message, issues? }`.
 * Fastify's own errors (body too large, malformed JSON) carry a statusCode and are kept.
 */
@Catch()
export class ErrorResponseFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    answerError(http.getRequest<AnsweredRequest>(), http.getResponse<ReplyLike>(), exception, this.logger);
  }
}

/**
 * Answers an error (the filter, and the access gate before a body is read). Quiet about refusals:
 * a 4xx, a 429 or a retriable 503 (overload) is the system working, so it is one debug line with
 * the route, status and code; only an unexpected 5xx is an error, logged with its stack.
 */
export function answerError(
  request: AnsweredRequest,
  reply: ReplyLike,
  exception: unknown,
  logger: Pick<Logger, 'error' | 'debug'>,
): void {
  const { status, body } = errorResponseFor(exception);
  if (status >= 500 && !(exception instanceof StockadeError && exception.retriable)) {
    logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
  } else {
    logger.debug(
      `${request.method} ${request.routeOptions?.url || request.url} answered ${status} ${String(body['error'])}`,
    );
  }
  // A retriable refusal (overload, an upstream down): tell well-behaved clients when to come back.
  if (status === 503) reply.header('retry-after', '1');
  if (status === 429) reply.header('retry-after', retryAfterOf(exception));
  if (status === 401) reply.header('www-authenticate', 'Bearer');
  reply.status(status).send(body);
}

function retryAfterOf(exception: unknown): string {
  if (exception instanceof UpstreamRefusal && exception.retryAfter) return exception.retryAfter;
  return String((exception as { retryAfterS?: number }).retryAfterS ?? 1);
}

/** The status and body an error gets, here and for each item of a batch checkout. */
export function errorResponseFor(exception: unknown): { status: number; body: Record<string, unknown> } {
  if (exception instanceof UpstreamRefusal) return { status: exception.status, body: exception.body };
  if (exception instanceof StockadeError) {
    const issues = exception.issues.length > 0 ? { issues: exception.issues } : {};
    return {
      status: STATUS_BY_CODE[exception.code],
      body: { error: exception.code, message: exception.message, ...issues },
    };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    // A body the parser refused (truncated JSON, a __proto__ key): the issue is the body itself.
    const issues = status === 400 ? { issues: [{ field: '(body)', message: exception.message }] } : {};
    return { status, body: { error: errorNameFor(status), message: exception.message, ...issues } };
  }
  const statusCode = (exception as { statusCode?: unknown })?.statusCode;
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
    const message = (exception as Error).message;
    return {
      status: statusCode,
      body: {
        error: errorNameFor(statusCode),
        message,
        ...(statusCode === 400 ? { issues: [{ field: '(body)', message }] } : {}),
      },
    };
  }
  return { status: 500, body: { error: 'INTERNAL', message: 'internal error' } };
}

function errorNameFor(status: number): string {
  const code = (Object.keys(STATUS_BY_CODE) as ErrorCode[]).find((key) => STATUS_BY_CODE[key] === status);
  return code ?? (status === 404 ? 'NOT_FOUND' : status === 415 ? 'UNSUPPORTED_MEDIA_TYPE' : 'HTTP_ERROR');
}
