import type { OrdersFacade } from './orders.facade';
import type { CheckoutRequest } from '@stockade/contracts';
import { StockadeError } from '@stockade/kernel';
import { OrderingService, OrdersInFlight } from '@stockade/ordering-service';

/** 503 with Retry-After: the pipeline is behind; the publisher should retry the same checkout shortly. */
export class TooManyOrdersInFlight extends StockadeError {
  constructor(limit: number) {
    super('UNAVAILABLE', `more than ${limit} orders are in flight; retry this checkout shortly`, { retriable: true });
  }
}

/**
 * The process is stopping while a checkout waits for room. To the bus this is an outage (never
 * the message's fault, never dead-lettered): the checkout stays uncommitted and is delivered
 * again after the restart. Over HTTP it is a 503 like any other refusal.
 */
export class AdmissionClosed extends StockadeError {
  constructor() {
    super('UNAVAILABLE', 'the order service is stopping; this checkout is taken again after its restart', {
      retriable: true,
    });
  }
}

interface Waiter {
  admit(): void;
  refuse(error: StockadeError): void;
}

/** What admission tells the metrics: it decides, they count. */
export interface AdmissionEvents {
  accepted(orderId: string): void;
  refused(reason: 'orders_in_flight'): void;
}

/**
 * Back-pressure on checkouts, one per order-service process and shared by both ways in (POST
 * /checkouts and the checkout topics), so they count against one limit: past `maxInFlight` orders
 * accepted and not yet terminal (ordering's OrdersInFlight, freed as outcomes arrive), a new
 * checkout waits its turn, first come first served.
 *
 * - HTTP waits at most `maxWaitMs` (default 1 s), then is refused (503, Retry-After): the time
 *   from checkout to outcome stays bounded under overload.
 * - A message waits as long as it takes: its handler simply does not finish, so the consumer
 *   takes nothing more once its concurrency is used up (Kafka's own back-pressure), and the
 *   message is never dead-lettered for it. An outcome wakes the waiters at once; one coarse timer
 *   (only while some wait) drops orders whose outcome never came, so a long wait costs no CPU.
 *
 * A repeat of a checkout already placed is answered at once, full or not. Bad input is refused
 * before any wait, so it is dead-lettered (or answered 400) at once.
 */
export class CheckoutAdmission {
  private readonly waiting: Waiter[] = [];
  /** Admitted and being placed: counted with the orders in flight, so a burst of waiters cannot overshoot the limit. */
  private placing = 0;
  private recheck: NodeJS.Timeout | undefined;
  private closed = false;
  /** Unsubscribes from OrdersInFlight's "room freed" (on close). */
  private readonly stopListening: () => void;

  constructor(
    private readonly ordering: OrderingService,
    private readonly inFlight: OrdersInFlight,
    readonly maxInFlight: number,
    private readonly events: AdmissionEvents = { accepted: () => undefined, refused: () => undefined },
    private readonly staleRecheckEveryMs = 1_000,
  ) {
    this.stopListening = inFlight.onFreed(() => this.admitWaiting());
  }

  /** POST /checkouts: waits up to `maxWaitMs` for room, then TooManyOrdersInFlight. */
  async placeOrder(request: CheckoutRequest, maxWaitMs = 1_000): Promise<{ orderId: string }> {
    const { orderId } = await this.admitted(request.checkoutId, maxWaitMs, () => this.ordering.placeOrder(request));
    return { orderId };
  }

  /** A checkout message (`checkout.requested`, or a channel's own topic): read first, then placed once there is room. */
  async placeCheckoutMessage(rawValue: string, channel?: string): Promise<{ orderId: string; created: boolean }> {
    const { request, cause } = this.ordering.readCheckout(rawValue, channel);
    return this.admitted(request.checkoutId, undefined, () => this.ordering.placeOrder(request, cause));
  }

  /** The process stops: checkouts still waiting are refused with AdmissionClosed (taken again after the restart). */
  close(): void {
    this.closed = true;
    this.stopListening();
    for (const waiter of this.waiting.splice(0)) waiter.refuse(new AdmissionClosed());
    this.stopRechecking();
  }

  private async admitted(
    orderId: string,
    maxWaitMs: number | undefined,
    place: () => Promise<{ orderId: string; created: boolean }>,
  ): Promise<{ orderId: string; created: boolean }> {
    if (!this.reserveAtOnce()) {
      // A repeat needs no room: placing it again writes nothing (and is where a differing repeat is refused).
      if (await this.ordering.getOrder(orderId)) return place();
      await this.turn(maxWaitMs);
    }
    try {
      const placed = await place();
      if (placed.created) {
        this.inFlight.accepted(placed.orderId);
        this.events.accepted(placed.orderId);
      }
      return placed;
    } finally {
      this.placing--;
      this.admitWaiting();
    }
  }

  private hasRoom(): boolean {
    return this.inFlight.count() + this.placing < this.maxInFlight;
  }

  /** A place now, unless the limit is reached or others wait already (they come first). */
  private reserveAtOnce(): boolean {
    if (this.waiting.length > 0 || !this.hasRoom()) return false;
    this.placing++;
    return true;
  }

  /** Resolves once a place is reserved for this checkout; rejects at the deadline (HTTP) or when closing. */
  private turn(maxWaitMs: number | undefined): Promise<void> {
    if (this.closed) return Promise.reject(new AdmissionClosed());
    if (maxWaitMs !== undefined && maxWaitMs <= 0) return Promise.reject(this.refused());
    return new Promise<void>((resolve, reject) => {
      let deadline: NodeJS.Timeout | undefined;
      const waiter: Waiter = {
        admit: () => (clearTimeout(deadline), resolve()),
        refuse: (error) => (clearTimeout(deadline), reject(error)),
      };
      if (maxWaitMs !== undefined) {
        deadline = setTimeout(() => {
          const index = this.waiting.indexOf(waiter);
          if (index >= 0) this.waiting.splice(index, 1);
          reject(this.refused());
        }, maxWaitMs);
      }
      this.waiting.push(waiter);
      this.admitWaiting();
    });
  }

  /** Room may be free (an outcome, a place given back): waiters first come first served; stale orders are dropped by one coarse timer. */
  private admitWaiting(): void {
    while (this.waiting.length > 0 && this.hasRoom()) {
      this.placing++;
      (this.waiting.shift() as Waiter).admit();
    }
    if (this.waiting.length === 0) this.stopRechecking();
    else this.recheck ??= setInterval(() => this.admitWaiting(), this.staleRecheckEveryMs).unref();
  }

  private stopRechecking(): void {
    clearInterval(this.recheck);
    this.recheck = undefined;
  }

  private refused(): TooManyOrdersInFlight {
    this.events.refused('orders_in_flight');
    return new TooManyOrdersInFlight(this.maxInFlight);
  }
}

/** POST /checkouts with back-pressure on an admission of its own (tests; the module shares one with the checkout topics). */
export function placeOrderWithAdmission(
  ordering: OrderingService,
  inFlight: OrdersInFlight,
  maxInFlight: number,
  maxWaitMs = 1_000,
): OrdersFacade['placeOrder'] {
  const admission = new CheckoutAdmission(ordering, inFlight, maxInFlight);
  return (request) => admission.placeOrder(request, maxWaitMs);
}
