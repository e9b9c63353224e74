import { Inject, Type } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { TOPICS } from '@stockade/contracts';
import { consumerGroup, MessageController } from '@stockade/nest-bus';
import { STOCKADE_METRICS, StockadeMetrics } from '@stockade/runtime';

/**
 * Counts this process's orders in flight down as their outcomes arrive (checkout admission and
 * the latency histogram). Every instance must see every outcome, so the group is the caller's:
 * one per instance in the distributed mode, one stable group for the embedded runner.
 */
export function orderOutcomesController(groupId: string): Type {
  @MessageController()
  class OrderOutcomesController {
    constructor(@Inject(STOCKADE_METRICS) private readonly metrics: StockadeMetrics) {}

    @EventPattern(TOPICS.orderEvents, consumerGroup(groupId, { fromBeginning: false, concurrency: 1000 }))
    outcome(@Payload() value: string): Promise<void> {
      return this.metrics.recordOrderOutcome(value);
    }
  }
  return OrderOutcomesController;
}
