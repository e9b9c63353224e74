import { Inject, Type } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { OrderOutcome, TOPICS } from '@stockade/contracts';
import { consumerGroup, MessageController } from '@stockade/nest-bus';
import type { OrdersInFlight } from '@stockade/ordering-service';
import { STOCKADE_METRICS, StockadeMetrics } from '@stockade/runtime';
import { ORDERS_IN_FLIGHT } from './ordering.tokens';

/**
 * Ends this process's orders in flight as their outcomes arrive (which frees checkout admission's
 * waiters at once), then has the metrics count the outcome and its latency. Every instance must
 * see every outcome, so the group is the caller's: one per instance in the distributed mode, one
 * stable group for the embedded runner.
 */
export function orderOutcomesController(groupId: string): Type {
  @MessageController()
  class OrderOutcomesController {
    constructor(
      @Inject(ORDERS_IN_FLIGHT) private readonly inFlight: OrdersInFlight,
      @Inject(STOCKADE_METRICS) private readonly metrics: StockadeMetrics,
    ) {}

    @EventPattern(TOPICS.orderEvents, consumerGroup(groupId, { fromBeginning: false, concurrency: 1000 }))
    outcome(@Payload() value: string): void {
      // Read once here: ordering ends its order, the metrics count what ordering read.
      const parsed = OrderOutcome.safeParse(JSON.parse(value));
      if (!parsed.success) return;
      this.metrics.countOrderOutcome(parsed.data, this.inFlight.ended(parsed.data.data.orderId));
    }
  }
  return OrderOutcomesController;
}
