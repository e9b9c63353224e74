import Database from 'better-sqlite3';
import { epochMs } from '../load/clock';
import type { Decision } from '../observation';

const STATUS_OF: Record<string, Decision['status']> = {
  'OrderCompleted.v1': 'COMPLETED',
  'OrderRejected.v1': 'REJECTED',
  'OrderCancelled.v1': 'CANCELLED',
};

/** Rows read per partition per look: a burst of outcomes is read in a few looks, not one huge one. */
const ROWS_PER_READ = 2_000;

/**
 * The embedded arm's outcomes as Stockade publishes them: a reader of `order.events` in the
 * server's message log (`messages.db`), through a read-only connection of the bench's own, as an
 * upstream on the same host would tail it. It never writes the file (no consumer group, no offsets)
 * and never asks the server anything, so it costs the arm nothing but what a WAL reader costs.
 *
 * Every `pollMs` it asks SQLite whether another connection committed (`PRAGMA data_version`, one
 * call); only then does it read each partition from where it stopped. Each outcome is timestamped
 * when it is read here, the same way the Kafka arms' watcher stamps an outcome's arrival. Distinct
 * by message id, so an outcome published twice is one decision. Retention deletes only what every
 * consumer group of the server has read; if it ever deleted one before this reader got to it, the
 * gap in offsets is reported, so the oracle cannot pass on a partial view.
 */
export class PublishedOutcomeReader {
  private readonly byMessageId = new Map<string, Decision>();
  private readonly decided = new Set<string>();
  private readonly nextOffset: number[];
  private readonly db: Database.Database;
  private readonly selectFrom: Database.Statement;
  private timer: NodeJS.Timeout | undefined;
  private lastDataVersion = -1;
  private missed = 0;

  constructor(
    busFile: string,
    private readonly topic = 'order.events',
    private readonly pollMs = 1,
  ) {
    this.db = new Database(busFile, { readonly: true, fileMustExist: true });
    const partitions = Number(
      (this.db.prepare(`SELECT value FROM bus_settings WHERE name = 'partitions'`).pluck().get() as
        string | undefined) ?? 8,
    );
    this.nextOffset = Array.from({ length: partitions }, () => 0);
    this.selectFrom = this.db.prepare(
      'SELECT offset, value FROM bus_messages WHERE topic = ? AND partition = ? AND offset >= ? ORDER BY offset LIMIT ?',
    );
  }

  start(): void {
    this.readNew();
    this.timer = setInterval(() => this.readNew(), this.pollMs);
  }

  get decidedCount(): number {
    return this.decided.size;
  }

  get decisions(): Decision[] {
    this.readNew();
    return [...this.byMessageId.values()];
  }

  /** Why the decisions may be incomplete: outcomes retention deleted before this reader read them. */
  get problems(): string[] {
    return this.missed > 0
      ? [`${this.missed} outcomes on ${this.topic} were deleted by retention before the bench read them`]
      : [];
  }

  stop(): void {
    clearInterval(this.timer);
    if (this.db.open) this.db.close();
  }

  private readNew(): void {
    if (!this.db.open) return;
    const version = this.db.pragma('data_version', { simple: true }) as number;
    if (version === this.lastDataVersion) return;
    this.lastDataVersion = version;
    const arrivedAt = epochMs();
    for (let partition = 0; partition < this.nextOffset.length; partition++) {
      for (;;) {
        const rows = this.selectFrom.all(this.topic, partition, this.nextOffset[partition], ROWS_PER_READ) as {
          offset: number;
          value: string;
        }[];
        for (const row of rows) {
          this.missed += row.offset - (this.nextOffset[partition] as number);
          this.nextOffset[partition] = row.offset + 1;
          this.record(row.value, arrivedAt);
        }
        if (rows.length < ROWS_PER_READ) break;
      }
    }
  }

  private record(value: string, arrivedAt: number): void {
    const envelope = JSON.parse(value) as { messageId: string; type: string; data: { orderId: string } };
    const status = STATUS_OF[envelope.type];
    if (!status || this.byMessageId.has(envelope.messageId)) return;
    this.byMessageId.set(envelope.messageId, {
      checkoutId: envelope.data.orderId,
      status,
      decisionId: envelope.messageId,
      terminalAtMs: arrivedAt,
    });
    this.decided.add(envelope.data.orderId);
  }
}
