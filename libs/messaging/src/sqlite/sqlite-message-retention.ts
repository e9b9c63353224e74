import type { Database, Statement } from 'better-sqlite3';
import type { SqliteGroupCommit } from '@stockade/event-store/sqlite';

export interface PruneOptions {
  /** A consumer group that has not committed for this long no longer holds messages back. */
  readonly groupIdleMs: number;
  readonly partitions: number;
  /** Topics never pruned (dead letters, state topics kept whole). */
  readonly keepTopic: (topic: string) => boolean;
  /** Topics kept like Kafka's compacted topics: the latest message per key stays, older ones go once read. */
  readonly compactTopic: (topic: string) => boolean;
  /** Most rows one delete transaction removes. */
  readonly batchSize: number;
}

/** SQLite's largest integer: "no group holds this partition back". */
const NO_LIMIT = Number.MAX_SAFE_INTEGER;

/** Lets the turn's group commit (appends, offset commits) run between two batches of a prune. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Retention of the SQLite message log, in small steps: each delete removes at most `batchSize`
 * rows in a short transaction of its own (never the group commit's, which publishes and offset
 * commits wait on), and the turn's writes run between two steps. One DELETE of everything
 * consumed, inside the shared write transaction, held every publish of the process for as long as
 * it took (issue 22).
 *
 * - An ordinary topic loses what every active consumer group has committed past, except each
 *   partition's newest message (offsets continue from it); a topic no active group reads is kept.
 * - A compacted topic (the stock levels new readers rebuild from) loses a message once a newer one
 *   with the same key exists and every active group has read it: a new reader still finds every
 *   key's latest value, as on Kafka's compacted topic.
 */
export class SqliteMessageRetention {
  private readonly selectActiveOffsets: Statement;
  private readonly selectTopics: Statement;
  private readonly selectBounds: Statement;
  private readonly deleteRange: Statement;
  private readonly selectLatestPerKey: Statement;
  private readonly selectKeysFrom: Statement;
  private readonly deleteOne: Statement;
  private stopped = false;

  constructor(
    private readonly db: Database,
    private readonly writes: SqliteGroupCommit,
  ) {
    this.selectActiveOffsets = db.prepare(
      'SELECT group_id AS groupId, topic, partition, next_offset AS nextOffset FROM bus_group_offsets WHERE committed_at = 0 OR committed_at >= ?',
    );
    this.selectTopics = db.prepare('SELECT DISTINCT topic FROM bus_messages').pluck();
    this.selectBounds = db.prepare(
      'SELECT MIN(offset) AS low, MAX(offset) AS high FROM bus_messages WHERE topic = ? AND partition = ?',
    );
    this.deleteRange = db.prepare(
      'DELETE FROM bus_messages WHERE topic = ? AND partition = ? AND offset >= ? AND offset < ?',
    );
    this.selectLatestPerKey = db.prepare(
      'SELECT key, MAX(offset) AS offset FROM bus_messages WHERE topic = ? AND partition = ? GROUP BY key',
    );
    this.selectKeysFrom = db.prepare(
      'SELECT offset, key FROM bus_messages WHERE topic = ? AND partition = ? AND offset >= ? AND offset < ? ORDER BY offset LIMIT ?',
    );
    this.deleteOne = db.prepare('DELETE FROM bus_messages WHERE topic = ? AND partition = ? AND offset = ?');
  }

  /** Ends a prune in progress after its current batch (the log is closing). */
  stop(): void {
    this.stopped = true;
  }

  /** Returns how many messages were deleted. */
  async prune(options: PruneOptions): Promise<number> {
    const readUpTo = this.offsetsReadByEveryActiveGroup(options);
    let deleted = 0;
    for (const topic of this.selectTopics.all() as string[]) {
      if (options.keepTopic(topic)) continue;
      const compacted = options.compactTopic(topic);
      const groups = readUpTo.get(topic);
      if (!groups && !compacted) continue; // nobody reads it yet: every message is still to be delivered
      for (let partition = 0; partition < options.partitions && this.goingOn(); partition++) {
        const safe = groups ? (groups.get(partition) ?? 0) : NO_LIMIT;
        deleted += compacted
          ? await this.compact(topic, partition, safe, options.batchSize)
          : await this.deleteRead(topic, partition, safe, options.batchSize);
      }
    }
    return deleted;
  }

  private goingOn(): boolean {
    return !this.stopped && this.db.open;
  }

  /** Per topic, per partition: the lowest offset every active group has committed past (0 for a group that has committed none there). */
  private offsetsReadByEveryActiveGroup(options: PruneOptions): Map<string, Map<number, number>> {
    const rows = this.selectActiveOffsets.all(Date.now() - options.groupIdleMs) as {
      groupId: string;
      topic: string;
      partition: number;
      nextOffset: number;
    }[];
    const byTopic = new Map<string, Map<string, Map<number, number>>>();
    for (const row of rows) {
      const groups = byTopic.get(row.topic) ?? new Map<string, Map<number, number>>();
      groups.set(
        row.groupId,
        (groups.get(row.groupId) ?? new Map<number, number>()).set(row.partition, row.nextOffset),
      );
      byTopic.set(row.topic, groups);
    }
    const safe = new Map<string, Map<number, number>>();
    for (const [topic, groups] of byTopic) {
      const perPartition = new Map<number, number>();
      for (let partition = 0; partition < options.partitions; partition++) {
        perPartition.set(partition, Math.min(...[...groups.values()].map((offsets) => offsets.get(partition) ?? 0)));
      }
      safe.set(topic, perPartition);
    }
    return safe;
  }

  /** Deletes below `safe`, never the partition's newest message, `batchSize` offsets per transaction. */
  private async deleteRead(topic: string, partition: number, safe: number, batchSize: number): Promise<number> {
    const { low, high } = this.selectBounds.get(topic, partition) as { low: number | null; high: number | null };
    if (low === null || high === null) return 0;
    const upTo = Math.min(safe, high);
    let deleted = 0;
    for (let from = low; from < upTo && this.goingOn(); from += batchSize) {
      const to = Math.min(upTo, from + batchSize);
      deleted += this.writes.runAlone(() => this.deleteRange.run(topic, partition, from, to).changes);
      await nextTurn();
    }
    return deleted;
  }

  /** Deletes the messages below `safe` that a newer message with the same key supersedes, at most `batchSize` per transaction. */
  private async compact(topic: string, partition: number, safe: number, batchSize: number): Promise<number> {
    // Read once: a message appended meanwhile only makes more old ones superseded, never fewer.
    const latest = new Map(
      (this.selectLatestPerKey.all(topic, partition) as { key: string; offset: number }[]).map((row) => [
        row.key,
        row.offset,
      ]),
    );
    let deleted = 0;
    let from = 0;
    while (this.goingOn()) {
      const rows = this.selectKeysFrom.all(topic, partition, from, safe, batchSize) as {
        offset: number;
        key: string;
      }[];
      if (rows.length === 0) break;
      const superseded = rows.filter((row) => row.offset < (latest.get(row.key) ?? -1));
      if (superseded.length > 0)
        deleted += this.writes.runAlone(() =>
          superseded.reduce((count, row) => count + this.deleteOne.run(topic, partition, row.offset).changes, 0),
        );
      from = (rows.at(-1) as { offset: number }).offset + 1;
      await nextTurn();
    }
    return deleted;
  }
}
