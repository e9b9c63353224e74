import type { EventStore } from '@stockade/event-store';
import { isReservationEvent } from '@stockade/inventory-domain';
import { type Clock, SerialPasses } from '@stockade/kernel';
import type { InventoryWriter } from './inventory-writer';
import { RESERVATION_STREAM_PREFIX } from './streams';

export interface ReservationExpirySchedulerOptions {
  readonly clock: Clock;
  /** How often `runDue` runs after `start()`. Default 1000 ms. */
  readonly checkIntervalMs?: number;
  /** Told about expiries that failed; they are tried again on the next pass. Default: ignored. */
  readonly onError?: (error: unknown, checkoutId: string) => void;
  /** Told how many reservations a pass expired, when it expired any (metrics). Default: ignored. */
  readonly onExpired?: (count: number) => void;
  /**
   * With shards (ADR 0020): whether this instance owns a SKU's shard now. A reservation is expired
   * only by the owner of its SKUs' shard; the others keep its timer, in case the shard comes to them.
   */
  readonly owns?: (sku: string) => boolean;
}

interface OpenReservation {
  readonly expiresAt: number;
  readonly acceptedEventId: string;
  /** One of its SKUs: all of a reservation's lines are on one shard. */
  readonly sku: string | undefined;
}

/**
 * A durable timer for reservations. Its input is the event log, not memory: every pass first
 * reads the reservation events appended since the last one (by any process), so a restart
 * rebuilds every open reservation and loses no timer. Expiring goes through the writer, where
 * a reservation committed or released in the meantime makes it a no-op.
 */
export class ReservationExpiryScheduler {
  private readonly open = new Map<string, OpenReservation>();
  private position = 0;
  private readonly passes = new SerialPasses(() => this.expireDue(), 0);

  constructor(
    private readonly store: EventStore,
    private readonly writer: Pick<InventoryWriter, 'expire'>,
    private readonly options: ReservationExpirySchedulerOptions,
  ) {}

  /** Rebuilds the open reservations from the log, then checks every `checkIntervalMs`. */
  start(): Promise<void> {
    return this.passes.start(this.options.checkIntervalMs ?? 1000);
  }

  stop(): Promise<void> {
    return this.passes.stop();
  }

  /** One pass: learn new reservations, expire those due at `clock.now()`. Returns how many expired. */
  runDue(): Promise<number> {
    return this.passes.run();
  }

  /** Open reservations as this scheduler knows them (for operators and tests). */
  openReservations(): readonly { readonly checkoutId: string; readonly expiresAt: string }[] {
    return [...this.open].map(([checkoutId, { expiresAt }]) => ({
      checkoutId,
      expiresAt: new Date(expiresAt).toISOString(),
    }));
  }

  private async expireDue(): Promise<number> {
    await this.catchUp();
    const now = this.options.clock.now().getTime();
    const owns = this.options.owns;
    const due = [...this.open].filter(
      ([, reservation]) =>
        reservation.expiresAt <= now && (!owns || reservation.sku === undefined || owns(reservation.sku)),
    );
    const expired = await Promise.all(
      due.map(async ([checkoutId, { acceptedEventId }]) => {
        try {
          const change = await this.writer.expire(checkoutId, {
            commandId: `expire-${checkoutId}`,
            correlationId: checkoutId,
            causationId: acceptedEventId,
          });
          if (change.reservation !== 'accepted') this.open.delete(checkoutId);
          return change.changed ? 1 : 0;
        } catch (error) {
          this.options.onError?.(error, checkoutId);
          return 0;
        }
      }),
    );
    const total = expired.reduce<number>((sum, count) => sum + count, 0);
    if (total > 0) this.options.onExpired?.(total);
    return total;
  }

  private async catchUp(): Promise<void> {
    for (;;) {
      const page = await this.store.readAll({ after: this.position, streamPrefixes: [RESERVATION_STREAM_PREFIX] });
      if (page.length === 0) return;
      for (const event of page) {
        this.position = event.position;
        if (!isReservationEvent(event)) continue;
        if (event.type === 'ReservationAccepted') {
          this.open.set(event.data.checkoutId, {
            expiresAt: Date.parse(event.data.expiresAt),
            acceptedEventId: event.id,
            sku: event.data.lines[0]?.sku,
          });
        } else if (event.type !== 'ReservationCommitRefused' && event.type !== 'ReservationRejected') {
          this.open.delete(event.data.checkoutId);
        }
      }
    }
  }
}
