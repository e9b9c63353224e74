import Database from 'better-sqlite3';
import { isDeadLetterTopic } from '@stockade/contracts';
import { makePrivateDatabaseFile, ThreadSharedWriteLock, type SqliteSynchronous } from '@stockade/event-store/sqlite';
import { LogBackedMessageBus } from '../engine/log-backed-message-bus';
import type { LogBackedMessageBusOptions } from '../engine/log-backed-message-bus';
import { prepareDatabase, settlePartitionCount } from './sqlite-message-schema';
import { SqliteMessageLog } from './sqlite-message-log';

export interface SqliteMessageBusOptions extends LogBackedMessageBusOptions {
  /**
   * Partitions per topic. Recorded in the file on first open; later opens adopt the recorded
   * count and refuse a different explicit one (default 8).
   */
  readonly partitions?: number;
  /** How often idle consumers look for messages written by other processes (default 100 ms). */
  readonly pollIntervalMs?: number;
  /** How long a write waits for another process's lock before failing (default 5000 ms). */
  readonly busyTimeoutMs?: number;
  /** Whether a commit waits for its fsync (default `normal`: no; see configureConnection). */
  readonly synchronous?: SqliteSynchronous;
  /**
   * Memory of a lock shared with other threads of this process that open the same file (from
   * ThreadSharedWriteLock.createBuffer): their writes then take turns without SQLite's sleeping
   * busy wait. Leave it out when only one thread writes the file.
   */
  readonly threadWriteLock?: SharedArrayBuffer;
  /** Deletes consumed messages periodically (see SqliteMessageLog.prune); off unless given. */
  readonly retention?: MessageRetention;
}

export interface MessageRetention {
  /** How often to prune (default a minute: each pass deletes in small transactions, see SqliteMessageRetention). */
  readonly intervalMs?: number;
  /** A consumer group that has not committed for this long no longer holds messages back (default 7 days). */
  readonly groupIdleMs?: number;
  /** Topics never pruned besides `*.dlq`. */
  readonly keepTopics?: readonly string[];
  /**
   * Topics compacted like Kafka's `cleanup.policy=compact` (e.g. the stock levels new readers
   * rebuild from): a message goes once a newer one with the same key exists and every active group
   * has read it, so a reader from the beginning still gets every key's latest value.
   */
  readonly compactTopics?: readonly string[];
  /** Most messages one delete transaction removes (default 500). */
  readonly batchSize?: number;
}

/**
 * The embedded, durable bus: the shared delivery engine over a SQLite file. Messages and
 * committed offsets survive restarts; several processes may share the file.
 */
export class SqliteMessageBus extends LogBackedMessageBus {
  private retentionTimer: NodeJS.Timeout | undefined;
  private pruning: Promise<number> | undefined;

  private constructor(
    private readonly messages: SqliteMessageLog,
    private readonly settings: SqliteMessageBusOptions & { readonly partitions: number },
  ) {
    super(messages, settings);
    if (settings.retention) {
      const retention = settings.retention;
      this.retentionTimer = setInterval(() => {
        // A pass still deleting when the next is due: the next waits its turn.
        if (this.pruning) return;
        this.pruning = this.prune(retention)
          .catch(() => 0)
          .finally(() => (this.pruning = undefined));
      }, retention.intervalMs ?? 60_000);
      this.retentionTimer.unref();
    }
  }

  /** Deletes what every active consumer group has consumed (compacted topics: what a newer message of its key superseded); dead-letter topics and `keepTopics` stay. */
  prune(retention: MessageRetention = {}): Promise<number> {
    const keep = new Set(retention.keepTopics ?? []);
    const compact = new Set(retention.compactTopics ?? []);
    return this.messages.prune({
      groupIdleMs: retention.groupIdleMs ?? 7 * 24 * 3600_000,
      partitions: this.settings.partitions,
      keepTopic: (topic) => isDeadLetterTopic(topic) || keep.has(topic),
      compactTopic: (topic) => compact.has(topic),
      batchSize: retention.batchSize ?? 500,
    });
  }

  override async close(): Promise<void> {
    if (this.retentionTimer) clearInterval(this.retentionTimer);
    this.messages.stopPruning();
    await this.pruning;
    await super.close();
  }

  /** Opens (creating if needed) the log at `path`; `':memory:'` gives a private, non-durable one. */
  static open(path: string, options: SqliteMessageBusOptions = {}): SqliteMessageBus {
    // Messages hold customers' data: the file (and its -wal, -shm) is the owner's alone.
    makePrivateDatabaseFile(path);
    const db = new Database(path);
    try {
      prepareDatabase(db, options.busyTimeoutMs ?? 5000, options.synchronous);
      const partitions = settlePartitionCount(db, options.partitions);
      const writeLock = options.threadWriteLock
        ? new ThreadSharedWriteLock(options.threadWriteLock, options.busyTimeoutMs ?? 5000)
        : undefined;
      return new SqliteMessageBus(new SqliteMessageLog(db, options.pollIntervalMs ?? 100, writeLock), {
        ...options,
        partitions,
      });
    } catch (error) {
      db.close();
      throw error;
    }
  }
}
