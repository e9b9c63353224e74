import { AppendListeners } from '../append-listeners';
import {
  END,
  type AllStreamResolvedEvent,
  type AllStreamSubscription,
  type KurrentDBClient,
} from '@kurrent/kurrentdb-client';
import { writerOf } from './kurrent-event-codec';
import { serverFilter } from './kurrent-server-filter';
import type { StreamNameFilterOptions } from './kurrent-stream-names';

/** How long to wait before subscribing again after the subscription dropped. */
const RESUBSCRIBE_DELAY_MS = 1000;

/**
 * The onAppended listeners of one store instance, woken by its own appends (directly, after
 * the append succeeded) and by other writers' appends (a subscription to $all from its end,
 * filtered to this store's streams, so system and bookkeeping streams never wake anyone).
 *
 * Events this instance wrote carry its writer id and are ignored on the subscription: the
 * direct call already happened, and a late echo would wake a listener registered after the
 * append. A burst of other writers' events wakes the listeners once per tick, not once per
 * event. When the subscription drops, events written meanwhile are missed, so after
 * subscribing again the listeners are woken once to make them poll; that is why the port
 * calls this a latency hint.
 */
export class KurrentAppendNotifications extends AppendListeners {
  private subscription: AllStreamSubscription | undefined;
  private resubscribeTimer: NodeJS.Timeout | undefined;
  private wakePending = false;
  private closed = false;

  constructor(
    private readonly client: KurrentDBClient,
    private readonly filter: StreamNameFilterOptions,
    private readonly writer: string,
  ) {
    super();
    this.subscribe();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.clear();
    clearTimeout(this.resubscribeTimer);
    const subscription = this.subscription;
    this.subscription = undefined;
    await subscription?.unsubscribe().catch(() => undefined);
  }

  private subscribe(): void {
    const subscription = this.client.subscribeToAll({ fromPosition: END, filter: serverFilter(this.filter) });
    subscription.on('data', (resolved: AllStreamResolvedEvent) => this.appendedElsewhere(resolved));
    // Without an 'error' listener a dropped subscription would crash the process.
    subscription.on('error', () => this.dropped(subscription));
    subscription.on('end', () => this.dropped(subscription));
    this.subscription = subscription;
  }

  private appendedElsewhere(resolved: AllStreamResolvedEvent): void {
    if (!resolved.event || writerOf(resolved.event) === this.writer || this.wakePending) return;
    this.wakePending = true;
    setImmediate(() => {
      this.wakePending = false;
      if (!this.closed) this.wake();
    });
  }

  private dropped(subscription: AllStreamSubscription): void {
    if (this.closed || this.subscription !== subscription) return;
    this.subscription = undefined;
    subscription.unsubscribe().catch(() => undefined);
    this.resubscribeTimer = setTimeout(() => {
      if (this.closed) return;
      this.subscribe();
      this.wake();
    }, RESUBSCRIBE_DELAY_MS);
    this.resubscribeTimer.unref();
  }
}
