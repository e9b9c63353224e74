import Database from 'better-sqlite3';
import { parseStoredType } from '@stockade/ordering-domain';
import type { Decision } from '../observation';

const STATUS_OF = { OrderCompleted: 'COMPLETED', OrderRejected: 'REJECTED', OrderCancelled: 'CANCELLED' } as const;

/**
 * Every terminal order event in the embedded server's order store (`orders.db`), read through a
 * read-only connection of the bench's own: no request to the server, nothing added to its CPU.
 * Terminal time is the event's `recorded_at`, the server's clock when it appended the event
 * (millisecond resolution; the group commit lands within about a millisecond after).
 */
export function readTerminalEvents(ordersDbPath: string): Decision[] {
  const db = new Database(ordersDbPath, { readonly: true, fileMustExist: true });
  try {
    const rows = db
      // Any event model version: v1 stored bare names, v2 `OrderCompleted.v2`.
      .prepare(`SELECT json_extract(data, '$.orderId') AS orderId, type, id, recorded_at AS recordedAt FROM events WHERE type LIKE 'OrderCompleted%' OR type LIKE 'OrderRejected%' OR type LIKE 'OrderCancelled%'`)
      .all() as { orderId: string; type: string; id: string; recordedAt: string }[];
    return rows.flatMap((row) => {
      const status = STATUS_OF[parseStoredType(row.type)[0] as keyof typeof STATUS_OF];
      return status ? [{ checkoutId: row.orderId, status, decisionId: row.id, terminalAtMs: Date.parse(row.recordedAt) }] : [];
    });
  } finally {
    db.close();
  }
}

/** Orders terminal so far, from the server's Prometheus counters (one small render per poll, not one request per order). */
export async function terminalOrderCount(baseUrl: string): Promise<number> {
  const metrics = await (await fetch(`${baseUrl}/metrics`)).text();
  let total = 0;
  for (const match of metrics.matchAll(/^stockade_orders_terminal_total\{status="\w+"\} (\d+)/gm)) total += Number(match[1]);
  return total;
}
