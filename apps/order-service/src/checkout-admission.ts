import type { OrdersFacade } from '@stockade/api';
import { StockadeError } from '@stockade/kernel';
import type { OrderingService } from '@stockade/ordering-service';
import type { StockadeMetrics } from '@stockade/runtime';

/** 503 with Retry-After: the pipeline is behind; the publisher should retry the same checkout shortly. */
export class TooManyOrdersInFlight extends StockadeError {
  constructor(limit: number) {
    super('UNAVAILABLE', `more than ${limit} orders are in flight; retry this checkout shortly`, { retriable: true });
  }
}

/**
 * POST /checkouts with back-pressure: past `maxInFlight` orders accepted and not yet terminal, a
 * new checkout waits up to `maxWaitMs` for room (the pipeline keeps draining meanwhile, so it stays
 * busy), then is refused (503, Retry-After) rather than queued without bound: the time from
 * checkout to outcome stays bounded under overload. A repeat of an accepted checkout is always
 * answered, through placeOrder, which writes nothing for it and still refuses a differing repeat
 * (409, ADR 0021). The in-flight count is this process's (every instance sees every outcome).
 */
export function placeOrderWithAdmission(ordering: OrderingService, metrics: StockadeMetrics, maxInFlight: number, maxWaitMs = 1_000): OrdersFacade['placeOrder'] {
  return async (request) => {
    if (metrics.ordersInFlight() >= maxInFlight) {
      if (await ordering.getOrder(request.checkoutId)) return { orderId: (await ordering.placeOrder(request)).orderId };
      const deadline = performance.now() + maxWaitMs;
      while (metrics.ordersInFlight() >= maxInFlight) {
        if (performance.now() >= deadline) {
          metrics.checkoutRefused('orders_in_flight');
          throw new TooManyOrdersInFlight(maxInFlight);
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    }
    const placed = await ordering.placeOrder(request);
    if (placed.created) metrics.orderAccepted(placed.orderId);
    return { orderId: placed.orderId };
  };
}
