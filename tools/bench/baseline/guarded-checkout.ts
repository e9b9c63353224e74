import type { Pool, PoolClient } from 'pg';
import type { CheckoutRequest } from '@stockade/contracts';
import type { BaselineTables } from './baseline-tables';

export interface BaselineDecision {
  readonly status: 'COMPLETED' | 'REJECTED';
  /** The checkout was decided before (a duplicate delivery): this is that decision, unchanged. */
  readonly repeated: boolean;
}

/**
 * The baseline of issue 7 (`--baseline-checkout transaction`; the default is now the one-round-trip
 * function, checkout-function.ts). What a team would write without Stockade: one PostgreSQL transaction per checkout with a
 * guarded `UPDATE stock SET qty = qty - n WHERE sku = s AND qty >= n` per line (lines in SKU
 * order, so two checkouts cannot deadlock), rolled back when a line is short. The order row goes
 * in first, keyed by the checkout id, so a duplicate delivery waits for the first one and then
 * answers its decision instead of taking stock twice; a refusal is recorded after the rollback.
 */
export async function decideCheckout(
  pool: Pool,
  tables: BaselineTables,
  checkout: CheckoutRequest,
): Promise<BaselineDecision> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const inserted = await client.query(
      `INSERT INTO ${tables.orders} (id, status, lines) VALUES ($1, 'COMPLETED', $2) ON CONFLICT (id) DO NOTHING`,
      [checkout.checkoutId, JSON.stringify(checkout.lines)],
    );
    if (inserted.rowCount === 0) {
      await client.query('ROLLBACK');
      return { status: await decidedBefore(client, tables, checkout.checkoutId), repeated: true };
    }
    for (const line of [...checkout.lines].sort((a, b) => (a.sku < b.sku ? -1 : 1))) {
      const taken = await client.query(`UPDATE ${tables.stock} SET qty = qty - $2 WHERE sku = $1 AND qty >= $2`, [
        line.sku,
        line.quantity,
      ]);
      if (taken.rowCount === 0) {
        await client.query('ROLLBACK');
        const refused = await client.query(
          `INSERT INTO ${tables.orders} (id, status, lines) VALUES ($1, 'REJECTED', $2) ON CONFLICT (id) DO NOTHING`,
          [checkout.checkoutId, JSON.stringify(checkout.lines)],
        );
        // A duplicate delivery may have recorded its refusal first: same decision either way.
        return refused.rowCount === 1
          ? { status: 'REJECTED', repeated: false }
          : { status: await decidedBefore(client, tables, checkout.checkoutId), repeated: true };
      }
    }
    await client.query('COMMIT');
    return { status: 'COMPLETED', repeated: false };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** On the connection already held: asking the pool for another could wait forever once every connection is held. */
async function decidedBefore(
  client: PoolClient,
  tables: BaselineTables,
  checkoutId: string,
): Promise<'COMPLETED' | 'REJECTED'> {
  const row = await client.query<{ status: 'COMPLETED' | 'REJECTED' }>(
    `SELECT status FROM ${tables.orders} WHERE id = $1`,
    [checkoutId],
  );
  const status = row.rows[0]?.status;
  if (!status) throw new Error(`checkout ${checkoutId} was decided but its row is gone`);
  return status;
}
