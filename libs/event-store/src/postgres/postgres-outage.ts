import { StockadeError } from '@stockade/kernel';

/** SQLSTATEs of a server that is going away, starting up or full: retry later. Class 08 is "connection exception". */
const SERVER_UNAVAILABLE = new Set(['57P01', '57P02', '57P03', '53300']);
/** Socket failures reaching the server. */
const NETWORK = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ENOTFOUND',
]);
/** node-postgres raises these itself, without a code, when the socket ends or a connect times out (its own English, not the server's localised text). */
const CLIENT_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error and is not queryable',
];

/**
 * True when a pg error means "the database cannot be reached right now" rather than "this
 * statement is wrong": a restart, a crash, a dropped connection. Duck-typed like appendFailureOf.
 */
export function isPostgresOutage(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && (code.startsWith('08') || SERVER_UNAVAILABLE.has(code) || NETWORK.has(code)))
    return true;
  return typeof message === 'string' && CLIENT_MESSAGES.some((prefix) => message.startsWith(prefix));
}

/**
 * Runs a store operation, turning a database outage into the port's outage (UNAVAILABLE,
 * retriable): a consumer then waits for PostgreSQL to come back instead of dead-lettering the
 * message it was handling. Every other error passes through as it was.
 */
export async function orOutage<T>(doing: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!isPostgresOutage(error)) throw error;
    throw new StockadeError('UNAVAILABLE', `PostgreSQL unavailable during ${doing}: ${(error as Error).message}`, {
      retriable: true,
      cause: error,
    });
  }
}
