import { escapeIdentifier, type Pool } from 'pg';
import { ExpectedVersionConflict, FenceLost } from '../errors';
import type { AppendRequest, AppendResult, Fence } from '../event-store';
import { FENCE_LOST_SQLSTATE, VERSION_CONFLICT_SQLSTATE } from './postgres-append-function';

export interface AppendTarget {
  readonly schema: string;
  /** NOTIFY channel and the payload that lets this instance recognise its own notifications. */
  readonly channel: string;
  readonly instanceId: string;
}

/**
 * One append, one round trip: the schema's `append_events` function in autocommit, so it is
 * one transaction (postgres-append-function.ts says what it does, in which order, and why the
 * order lock makes appends commit in position order). Round trips do not grow with the number
 * of streams or events; a refusal comes back as FenceLost or ExpectedVersionConflict.
 */
export async function appendInOneCall(
  pool: Pool,
  target: AppendTarget,
  requests: readonly AppendRequest[],
  recordedAt: Date,
  fences: readonly Fence[] = [],
): Promise<AppendResult[]> {
  const events = requests.flatMap((request, index) =>
    request.events.map((event, offset) => ({ request: index + 1, offset, event })),
  );
  try {
    const { rows } = await pool.query<{ stream: string; next_version: number; last_position: string }>(
      `SELECT stream, next_version, last_position::text FROM ${escapeIdentifier(target.schema)}.append_events($1, $2, $3, $4, $5, $6, $7, $8::jsonb[], $9::jsonb[], $10, $11, $12, $13, $14)`,
      [
        requests.map((request) => request.stream),
        requests.map((request) => String(request.expectedVersion)),
        requests.map((request) => request.events.length),
        events.map((row) => row.request),
        events.map((row) => row.offset),
        events.map((row) => row.event.id),
        events.map((row) => row.event.type),
        events.map((row) => JSON.stringify(row.event.data ?? null)),
        events.map((row) => JSON.stringify(row.event.metadata)),
        recordedAt,
        fences.map((fence) => fence.name),
        fences.map((fence) => String(fence.epoch)),
        target.channel,
        target.instanceId,
      ],
    );
    // One row per request, in request order (the function orders them).
    return rows.map((row) => ({
      stream: row.stream,
      nextExpectedVersion: row.next_version,
      lastPosition: Number(row.last_position),
    }));
  } catch (error) {
    throw refusalOf(error, requests) ?? error;
  }
}

/** The function's own refusals, back as the port's errors; anything else is left to the caller. */
function refusalOf(error: unknown, requests: readonly AppendRequest[]): Error | undefined {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof message !== 'string') return undefined;
  if (code === FENCE_LOST_SQLSTATE) {
    const lost = JSON.parse(message) as { name: string; epoch: number; current: number };
    return new FenceLost(lost.name, Number(lost.epoch), Number(lost.current));
  }
  if (code === VERSION_CONFLICT_SQLSTATE) {
    const conflict = JSON.parse(message) as { request: number; actual: number };
    const request = requests[conflict.request] as AppendRequest;
    return new ExpectedVersionConflict(request.stream, request.expectedVersion, conflict.actual);
  }
  return undefined;
}
