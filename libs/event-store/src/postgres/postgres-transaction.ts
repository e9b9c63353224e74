import type { Pool, PoolClient } from 'pg';

/**
 * Runs `work` inside BEGIN/COMMIT on one pooled connection, rolling back when it throws.
 * A connection whose ROLLBACK failed is in an unknown state, so it is destroyed instead of
 * going back to the pool.
 */
export async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  // The pool listens for errors of idle connections only: one that drops while checked out (a
  // PostgreSQL restart mid-transaction) emits 'error' with no listener, which ends the process.
  // Here it fails the transaction (its query rejects too) and the connection is not reused.
  const onError = (error: Error) => (broken = error);
  client.on('error', onError);
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    try {
      await client.query('ROLLBACK');
    } catch (rollbackError) {
      broken = rollbackError as Error;
    }
    throw error;
  } finally {
    client.off('error', onError);
    client.release(broken);
  }
}
