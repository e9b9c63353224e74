import type { Database, Statement } from 'better-sqlite3';
import { SqliteGroupCommit } from '@stockade/event-store/sqlite';
import type { WriteLock } from '@stockade/event-store/sqlite';
import type { Headers } from '../message-bus';
import type { LogRecord, MessageLog, OffsetCommit, StoredMessage } from '../log/message-log';
import { PruneOptions, SqliteMessageRetention } from './sqlite-message-retention';

interface MessageRow {
  readonly partition: number;
  readonly offset: number;
  readonly key: string;
  readonly value: string;
  readonly headers: string | null;
}

/**
 * A MessageLog in a SQLite file (WAL). Appends and offset commits are group-committed: those
 * submitted in one turn of the event loop share one transaction, each all-or-nothing in its
 * own savepoint, and resolve after the COMMIT. Offsets are assigned inside the write
 * transaction (BEGIN IMMEDIATE) from the partition's current end, so several processes may
 * append to one file. Their appends are noticed by polling
 * `PRAGMA data_version`, which changes only when another connection committed: an idle
 * poll costs one pragma, not a query per partition.
 */
export class SqliteMessageLog implements MessageLog {
  private readonly insertMessage: Statement;
  private readonly selectEnd: Statement;
  private readonly selectBatch: Statement;
  private readonly selectCommitted: Statement;
  private readonly upsertCommitted: Statement;
  private readonly writes: SqliteGroupCommit;
  private readonly retention: SqliteMessageRetention;
  private readonly externalAppendListeners = new Set<() => void>();
  private pollTimer: NodeJS.Timeout | undefined;
  private lastDataVersion = 0;

  constructor(
    private readonly db: Database,
    private readonly pollIntervalMs: number,
    writeLock?: WriteLock,
  ) {
    this.insertMessage = db.prepare(
      'INSERT INTO bus_messages (topic, partition, offset, key, value, headers) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.selectEnd = db
      .prepare('SELECT COALESCE(MAX(offset) + 1, 0) AS endOffset FROM bus_messages WHERE topic = ? AND partition = ?')
      .pluck();
    this.selectBatch = db.prepare(
      'SELECT partition, offset, key, value, headers FROM bus_messages WHERE topic = ? AND partition = ? AND offset >= ? ORDER BY offset LIMIT ?',
    );
    this.selectCommitted = db
      .prepare('SELECT next_offset FROM bus_group_offsets WHERE group_id = ? AND topic = ? AND partition = ?')
      .pluck();
    this.upsertCommitted = db.prepare(
      `INSERT INTO bus_group_offsets (group_id, topic, partition, next_offset, committed_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (group_id, topic, partition) DO UPDATE SET next_offset = excluded.next_offset, committed_at = excluded.committed_at`,
    );
    this.writes = new SqliteGroupCommit(db, writeLock);
    this.retention = new SqliteMessageRetention(db, this.writes);
  }

  async append(topic: string, records: readonly LogRecord[]): Promise<void> {
    await this.writes.submit(() => this.insertRecords(topic, records));
  }

  async read(topic: string, partition: number, fromOffset: number, limit: number): Promise<StoredMessage[]> {
    return (this.selectBatch.all(topic, partition, fromOffset, limit) as MessageRow[]).map((row) => ({
      topic,
      partition: row.partition,
      offset: row.offset,
      key: row.key,
      value: row.value,
      headers: row.headers === null ? {} : (JSON.parse(row.headers) as Headers),
    }));
  }

  async topics(): Promise<string[]> {
    return this.db.prepare('SELECT DISTINCT topic FROM bus_messages ORDER BY topic').pluck().all() as string[];
  }

  async endOffset(topic: string, partition: number): Promise<number> {
    return this.selectEnd.get(topic, partition) as number;
  }

  async committedOffset(groupId: string, topic: string, partition: number): Promise<number | undefined> {
    return this.selectCommitted.get(groupId, topic, partition) as number | undefined;
  }

  async commit(groupId: string, commits: readonly OffsetCommit[]): Promise<void> {
    await this.writes.submit(() => {
      const now = Date.now();
      for (const { topic, partition, offset } of commits)
        this.upsertCommitted.run(groupId, topic, partition, offset, now);
    });
  }

  /** Retention, in small transactions of its own between the turns' writes: see SqliteMessageRetention. */
  prune(options: PruneOptions): Promise<number> {
    return this.retention.prune(options);
  }

  /** Ends a prune in progress after its current batch. */
  stopPruning(): void {
    this.retention.stop();
  }

  watchExternalAppends(onChange: () => void): () => void {
    this.externalAppendListeners.add(onChange);
    if (!this.pollTimer) {
      this.lastDataVersion = this.dataVersion();
      this.pollTimer = setInterval(() => this.pollForExternalAppends(), this.pollIntervalMs);
      // A bus left open must not keep a test run or a CLI alive.
      this.pollTimer.unref();
    }
    return () => {
      this.externalAppendListeners.delete(onChange);
      if (this.externalAppendListeners.size === 0) this.stopPolling();
    };
  }

  async close(): Promise<void> {
    this.stopPolling();
    if (!this.db.open) return;
    this.writes.flush();
    this.db.close();
  }

  /** Runs inside the shared write transaction, so the partition ends read here include earlier writes of the same turn. */
  private insertRecords(topic: string, records: readonly LogRecord[]): void {
    const nextOffsets = new Map<number, number>();
    for (const record of records) {
      const offset = nextOffsets.get(record.partition) ?? (this.selectEnd.get(topic, record.partition) as number);
      nextOffsets.set(record.partition, offset + 1);
      const headers = Object.keys(record.headers).length > 0 ? JSON.stringify(record.headers) : null;
      this.insertMessage.run(topic, record.partition, offset, record.key, record.value, headers);
    }
  }

  private pollForExternalAppends(): void {
    if (!this.db.open) return;
    const version = this.dataVersion();
    if (version === this.lastDataVersion) return;
    this.lastDataVersion = version;
    this.externalAppendListeners.forEach((listener) => listener());
  }

  private dataVersion(): number {
    return this.db.pragma('data_version', { simple: true }) as number;
  }

  private stopPolling(): void {
    if (this.pollTimer) clearInterval(this.pollTimer);
    this.pollTimer = undefined;
  }
}
