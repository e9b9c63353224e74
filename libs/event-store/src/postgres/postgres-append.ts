import type { PoolClient } from 'pg';
import { ExpectedVersionConflict, lostFence, satisfiesExpectedVersion } from '../errors';
import type { AppendRequest, AppendResult, Fence } from '../event-store';
import type { EventStoreSql } from './postgres-event-sql';

export interface AppendTarget {
  readonly sql: EventStoreSql;
  readonly schema: string;
  /** NOTIFY channel and the payload that lets this instance recognise its own notifications. */
  readonly channel: string;
  readonly instanceId: string;
}

/**
 * The body of one append transaction (the caller owns BEGIN/COMMIT). Round trips do not grow
 * with the number of events: lock streams, advance versions, notify, take the order lock,
 * insert everything.
 *
 * Why the order lock: identity values are handed out when a row is inserted but become
 * visible when its transaction commits, so two concurrent appends can commit 12 before 11.
 * A relay tailing readAll would see 12, checkpoint it and skip 11 forever. Holding one
 * transaction-level advisory lock from the insert until commit makes appends take positions
 * and commit in the same order (PostgreSQL marks a transaction committed before it releases
 * its locks). We preferred this to filtering reads by `pg_snapshot_xmin` because that makes
 * every reader wait for the oldest open transaction in the whole database, unrelated ones
 * included, and needs an xid column; the lock costs writers only the insert-to-commit
 * window, which batching (group commit) amortises. Stream locks are all taken before the
 * order lock, so the order lock is never held while waiting for another writer.
 */
export async function appendInTransaction(
  client: PoolClient,
  target: AppendTarget,
  requests: readonly AppendRequest[],
  recordedAt: Date,
  fences: readonly Fence[] = [],
): Promise<AppendResult[]> {
  const { sql } = target;
  if (fences.length > 0) await checkFences(client, sql, fences);
  const writing = requests.filter((request) => request.events.length > 0);
  const actual = await currentVersions(client, sql, requests);

  const nextVersions = requests.map((request) => {
    const version = actual.get(request.stream) ?? -1;
    if (!satisfiesExpectedVersion(request.expectedVersion, version)) {
      throw new ExpectedVersionConflict(request.stream, request.expectedVersion, version);
    }
    return version + request.events.length;
  });
  if (writing.length === 0)
    return requests.map((request, index) => ({
      stream: request.stream,
      nextExpectedVersion: nextVersions[index] as number,
      lastPosition: 0,
    }));

  const advanced = requests.flatMap((request, index) =>
    request.events.length > 0 ? [[request.stream, nextVersions[index] as number] as const] : [],
  );
  await client.query(sql.advanceStreams, [advanced.map(([stream]) => stream), advanced.map(([, version]) => version)]);
  // Delivered only if the transaction commits, so it can go out before the order lock.
  await client.query(sql.notifyAppended, [target.channel, target.instanceId]);

  const rows = requests.flatMap((request) =>
    request.events.map((event, offset) => ({
      stream: request.stream,
      version: (actual.get(request.stream) ?? -1) + offset + 1,
      event,
    })),
  );
  await client.query(sql.lockAppendOrder, [target.schema]);
  const inserted = await client.query<{ stream: string; last_position: string }>(sql.insertEvents, [
    rows.map((row) => row.stream),
    rows.map((row) => row.version),
    rows.map((row) => row.event.id),
    rows.map((row) => row.event.type),
    rows.map((row) => JSON.stringify(row.event.data ?? null)),
    rows.map((row) => JSON.stringify(row.event.metadata)),
    recordedAt,
  ]);
  const lastPositions = new Map(inserted.rows.map((row) => [row.stream, Number(row.last_position)]));

  return requests.map((request, index) => ({
    stream: request.stream,
    nextExpectedVersion: nextVersions[index] as number,
    lastPosition: lastPositions.get(request.stream) ?? 0,
  }));
}

/**
 * Versions of every stream in the call: locked (and created at -1 if new) for the streams
 * that get events, merely read for the ones whose request only checks a version, so an
 * empty request never creates a stream row.
 */
async function currentVersions(
  client: PoolClient,
  sql: EventStoreSql,
  requests: readonly AppendRequest[],
): Promise<Map<string, number>> {
  const writing = requests.filter((request) => request.events.length > 0).map((request) => request.stream);
  const checking = requests.filter((request) => request.events.length === 0).map((request) => request.stream);
  const versions = new Map<string, number>();
  for (const [statement, streams] of [
    [sql.lockStreams, writing],
    [sql.streamVersions, checking],
  ] as const) {
    if (streams.length === 0) continue;
    const { rows } = await client.query<{ stream: string; version: number }>(statement, [streams]);
    rows.forEach((row) => versions.set(row.stream, row.version));
  }
  return versions;
}

/**
 * Reads the fences FOR SHARE before anything is written: a holder taking a fence meanwhile waits
 * for this transaction, and one that took it first makes this append fail here, writing nothing.
 */
async function checkFences(client: PoolClient, sql: AppendTarget['sql'], fences: readonly Fence[]): Promise<void> {
  const { rows } = await client.query<{ name: string; epoch: string }>(sql.readFencesForShare, [
    fences.map((fence) => fence.name),
  ]);
  const current = new Map(rows.map((row) => [row.name, Number(row.epoch)]));
  const lost = lostFence(fences, (name) => current.get(name) ?? 0);
  if (lost) throw lost;
}
