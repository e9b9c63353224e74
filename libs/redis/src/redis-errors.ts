import { StockadeError } from '@stockade/kernel';

/**
 * Another cart-service instance saved this cart after we loaded it (or it expired meanwhile).
 * Retriable: reload the cart and apply the shopper's change again; an HTTP caller sees 409.
 */
export class ConcurrentCartUpdate extends StockadeError {
  constructor(
    readonly cartId: string,
    readonly expectedVersion: number,
  ) {
    super(
      'CONFLICT',
      `cart ${cartId} was changed by another request since version ${expectedVersion} was read: reload it and try again`,
      {
        retriable: true,
      },
    );
  }
}

/** Redis could not be reached within the client's retry budget. Retriable: it is usually brief. */
export class RedisUnavailable extends StockadeError {
  constructor(operation: string, cause: unknown) {
    super(
      'UNAVAILABLE',
      `redis unavailable during ${operation}: ${cause instanceof Error ? cause.message : String(cause)}`,
      { retriable: true, cause },
    );
  }
}

/**
 * Runs one Redis call and turns a driver error into our port error, so callers and the bus
 * retry policy see a StockadeError (and ioredis never leaks past this library).
 */
export async function translatingRedisErrors<T>(operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof StockadeError) throw error;
    throw new RedisUnavailable(operation, error);
  }
}
