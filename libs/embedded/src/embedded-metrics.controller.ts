import { Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { TOPICS } from '@stockade/contracts';
import { consumerGroup, MessageController } from '@stockade/nest-bus';
import { STOCKADE_METRICS, StockadeMetrics } from '@stockade/runtime';

/** The per-SKU availability gauge in /metrics, fed by the stock-level topic (embedded runner only). */
@MessageController()
export class StockLevelMetricsController {
  constructor(@Inject(STOCKADE_METRICS) private readonly metrics: StockadeMetrics) {}

  @EventPattern(TOPICS.stockLevels, consumerGroup('metrics-stock', { fromBeginning: false, concurrency: 1000 }))
  stockLevel(@Payload() value: string): Promise<void> {
    return this.metrics.recordStockLevel(value);
  }
}
