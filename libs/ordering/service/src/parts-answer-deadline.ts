import type { EventStore, RecordedEvent } from '@stockade/event-store';
import { type Clock, SerialPasses } from '@stockade/kernel';
import { ORDER_STREAM_PREFIX, parseStoredType, ReportedFact } from '@stockade/ordering-domain';

export interface PartsAnswerDeadlineOptions {
  readonly clock: Clock;
  /** How long an order in parts may wait for its last part's answer (STOCKADE_RESERVATION_ANSWER_TIMEOUT_MS). */
  readonly timeoutMs: number;
  /** How often `runDue` runs after `start()`. Default 1000 ms. */
  readonly checkIntervalMs?: number;
  /** Told of each order the deadline was reported for (the operator's log). */
  readonly onTimedOut?: (orderId: string, waitedMs: number) => void;
  /** Told when reporting failed (the store was down); it is tried again on the next pass. */
  readonly onError?: (error: unknown, orderId: string) => void;
}

/** Order events after which the order no longer waits for a part's answer. */
const ANSWERED_OR_ENDED = new Set([
  'StockReserved',
  'OrderRejected',
  'OrderCancelled',
  'OrderCompleted',
  'OrderCancellationRequested',
]);

/**
 * The durable timer of ADR 0020's answer timeout: an order whose lines live on several inventory
 * shards waits in PLACED for every part's answer, and a shard with no owner (or an inventory
 * outage) must not keep its other parts' stock held until their TTL. Like the reservation expiry
 * timer, its input is the event log, not memory: each pass reads the order events appended since
 * the last (by any instance), so a restart or another instance loses no deadline. Reporting goes
 * through the saga, which ignores it unless the order still waits, so several instances reporting
 * the same deadline write one outcome.
 */
export class PartsAnswerDeadline {
  /** Orders in parts still waiting for an answer: placed at (ms). */
  private readonly waiting = new Map<string, number>();
  private position = 0;
  private readonly passes = new SerialPasses(() => this.reportDue(), 0);

  constructor(
    private readonly store: EventStore,
    private readonly report: (orderId: string, fact: ReportedFact) => Promise<unknown>,
    private readonly options: PartsAnswerDeadlineOptions,
  ) {}

  /** Rebuilds the waiting orders from the log, then checks every `checkIntervalMs`. */
  start(): Promise<void> {
    return this.passes.start(this.options.checkIntervalMs ?? 1000);
  }

  stop(): Promise<void> {
    return this.passes.stop();
  }

  /** One pass: learn new orders and answers, report the deadlines due at `clock.now()`. Returns how many were reported. */
  runDue(): Promise<number> {
    return this.passes.run();
  }

  /** Orders in parts waiting for an answer, as this timer knows them (for tests and operators). */
  waitingOrders(): readonly string[] {
    return [...this.waiting.keys()];
  }

  private async reportDue(): Promise<number> {
    await this.catchUp();
    const now = this.options.clock.now().getTime();
    const due = [...this.waiting].filter(([, placedAt]) => now - placedAt >= this.options.timeoutMs);
    let reported = 0;
    for (const [orderId, placedAt] of due) {
      const waitedMs = now - placedAt;
      try {
        await this.report(orderId, { type: 'ReservationAnswerTimedOut', data: { orderId, waitedMs } });
        this.waiting.delete(orderId);
        this.options.onTimedOut?.(orderId, waitedMs);
        reported++;
      } catch (error) {
        this.options.onError?.(error, orderId);
      }
    }
    return reported;
  }

  private async catchUp(): Promise<void> {
    for (;;) {
      const page = await this.store.readAll({ after: this.position, streamPrefixes: [ORDER_STREAM_PREFIX] });
      if (page.length === 0) return;
      for (const event of page) {
        this.position = event.position;
        this.learn(event);
      }
    }
  }

  private learn(event: RecordedEvent): void {
    const [type] = parseStoredType(event.type);
    const data = event.data as { orderId?: string; placedAt?: string; parts?: readonly unknown[] };
    if (typeof data.orderId !== 'string') return;
    // Only orders in several parts wait on several shards; orders in parts exist only in the current event model.
    if (type === 'OrderPlaced' && (data.parts?.length ?? 0) > 1 && typeof data.placedAt === 'string')
      this.waiting.set(data.orderId, Date.parse(data.placedAt));
    else if (ANSWERED_OR_ENDED.has(type)) this.waiting.delete(data.orderId);
  }
}
