import type { Headers } from '../message-bus';

/**
 * Where a log-backed bus keeps its messages and its groups' offsets: an append-only log per
 * (topic, partition), like a Kafka broker's. The delivery engine (`engine/`) gives the
 * MessageBus semantics on top of any implementation, so the in-memory and the SQLite bus
 * differ only in storage.
 *
 * Offsets are 0-based per partition. A committed offset is the offset of the *next* message
 * the group will read (Kafka's convention), so "nothing consumed yet" is 0.
 */
export interface LogRecord {
  readonly partition: number;
  readonly key: string;
  /** Already-serialised payload: the log never re-encodes, so a dead letter keeps its bytes. */
  readonly value: string;
  readonly headers: Headers;
}

export interface StoredMessage extends LogRecord {
  readonly topic: string;
  readonly offset: number;
  /**
   * The bytes as they came off a broker (Kafka), when another producer may have written them:
   * `key`/`value`/`headers` above are their UTF-8 reading, lossy for bytes that are not UTF-8.
   * A dead letter is written from these, so it keeps exactly what was sent.
   */
  readonly original?: OriginalBytes;
}

export interface OriginalBytes {
  readonly key: Uint8Array | null;
  readonly value: Uint8Array | null;
  readonly headers: Readonly<Record<string, Uint8Array | string>>;
}

export interface OffsetCommit {
  readonly topic: string;
  readonly partition: number;
  /** The next offset to read. */
  readonly offset: number;
}

export interface MessageLog {
  /** Appends in order, all or nothing (one transaction per call where the storage has them). */
  append(topic: string, records: readonly LogRecord[]): Promise<void>;
  /** Up to `limit` messages of one partition with `offset >= fromOffset`, in offset order. */
  read(topic: string, partition: number, fromOffset: number, limit: number): Promise<StoredMessage[]>;
  /** Every topic that holds messages (for operators: which dead-letter topics exist). */
  topics(): Promise<string[]>;
  /** The offset the next appended message of this partition will get (0 when empty). */
  endOffset(topic: string, partition: number): Promise<number>;
  /** The group's committed offset for a partition, or undefined if it never committed one. */
  committedOffset(groupId: string, topic: string, partition: number): Promise<number | undefined>;
  /** Stores the group's offsets, all or nothing. */
  commit(groupId: string, commits: readonly OffsetCommit[]): Promise<void>;
  /**
   * Calls `onChange` when another process may have appended (storages shared between
   * processes poll for that). Absent when only this process can write, e.g. in memory.
   * Returns a function that stops watching.
   */
  watchExternalAppends?(onChange: () => void): () => void;
  close(): Promise<void>;
}
