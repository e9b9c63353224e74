import type { Pool } from 'pg';
import type { CheckoutRequest } from '@stockade/contracts';
import type { BaselineTables } from './baseline-tables';
import type { BaselineDecision } from './guarded-checkout';

/**
 * The strong baseline (issue 22): the whole checkout in one PL/pgSQL function, so a checkout is
 * one round trip and one transaction. It does what the multi-statement transaction does
 * (guarded-checkout.ts), in the same order:
 * - the order row goes in first, keyed by the checkout id, so a duplicate delivery waits for the
 *   first one and then answers its decision, taking nothing;
 * - every line's stock row is locked in SKU order (the caller passes one entry per SKU, sorted),
 *   so two checkouts never deadlock;
 * - all lines or none: short or unknown, the order row becomes the refusal and no stock moves.
 */
export function checkoutFunctionSql(tables: BaselineTables): string {
  return `
    CREATE FUNCTION ${tables.schema}.checkout(p_id text, p_lines jsonb, p_skus text[], p_quantities int[])
    RETURNS TABLE (status text, repeated boolean)
    LANGUAGE plpgsql AS $fn$
    #variable_conflict use_column
    BEGIN
      INSERT INTO ${tables.orders} (id, status, lines) VALUES (p_id, 'COMPLETED', p_lines) ON CONFLICT (id) DO NOTHING;
      IF NOT FOUND THEN
        RETURN QUERY SELECT o.status, true FROM ${tables.orders} o WHERE o.id = p_id;
        RETURN;
      END IF;
      PERFORM 1 FROM ${tables.stock} s WHERE s.sku = ANY (p_skus) ORDER BY s.sku FOR UPDATE;
      IF EXISTS (
        SELECT 1 FROM unnest(p_skus, p_quantities) AS line(sku, quantity)
        LEFT JOIN ${tables.stock} s ON s.sku = line.sku
        WHERE s.qty IS NULL OR s.qty < line.quantity
      ) THEN
        UPDATE ${tables.orders} SET status = 'REJECTED' WHERE id = p_id;
        RETURN QUERY SELECT 'REJECTED'::text, false;
        RETURN;
      END IF;
      UPDATE ${tables.stock} s SET qty = s.qty - line.quantity FROM unnest(p_skus, p_quantities) AS line(sku, quantity) WHERE s.sku = line.sku;
      RETURN QUERY SELECT 'COMPLETED'::text, false;
    END
    $fn$`;
}

/** The checkout's lines as the function takes them: one entry per SKU (quantities added up), in SKU order. */
export function linesBySku(checkout: Pick<CheckoutRequest, 'lines'>): { skus: string[]; quantities: number[] } {
  const wanted = new Map<string, number>();
  for (const line of checkout.lines) wanted.set(line.sku, (wanted.get(line.sku) ?? 0) + line.quantity);
  const skus = [...wanted.keys()].sort();
  return { skus, quantities: skus.map((sku) => wanted.get(sku) as number) };
}

/**
 * One checkout, one round trip: a named prepared statement (parsed once per connection) calling
 * the function, in autocommit, on whichever pooled connection is free.
 */
export async function decideWithFunction(
  pool: Pool,
  tables: BaselineTables,
  checkout: CheckoutRequest,
): Promise<BaselineDecision> {
  const { skus, quantities } = linesBySku(checkout);
  const result = await pool.query<{ status: 'COMPLETED' | 'REJECTED'; repeated: boolean }>({
    name: `checkout-${tables.schema}`,
    text: `SELECT status, repeated FROM ${tables.schema}.checkout($1, $2, $3, $4)`,
    values: [checkout.checkoutId, JSON.stringify(checkout.lines), skus, quantities],
  });
  const row = result.rows[0];
  if (!row) throw new Error(`checkout ${checkout.checkoutId}: the checkout function answered nothing`);
  return { status: row.status, repeated: row.repeated };
}
