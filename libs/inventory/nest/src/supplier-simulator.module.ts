import { DynamicModule, Inject, Module } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { TOPICS } from '@stockade/contracts';
import { SimulatedSupplier } from '@stockade/inventory-service';
import type { Clock } from '@stockade/kernel';
import type { MessageBus } from '@stockade/messaging';
import { consumerGroup, MessageController } from '@stockade/nest-bus';
import { CLOCK, Logger, LOGGER, MESSAGE_BUS, STOCKADE_CONFIG, StockadeConfig } from '@stockade/runtime';

const SUPPLIER = Symbol('SimulatedSupplier');

/** Purchase orders in, deliveries out: one consumer group of its own, many orders waiting at once. */
@MessageController()
class SupplierSimulatorController {
  constructor(
    @Inject(SUPPLIER) private readonly supplier: SimulatedSupplier,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  @EventPattern(TOPICS.inventoryReorders, consumerGroup('supplier-simulator', { concurrency: 100 }))
  async purchaseOrder(@Payload() value: string): Promise<void> {
    const delivery = await this.supplier.handle(value);
    this.logger.info(
      {
        purchaseOrderId: delivery.purchaseOrderId,
        sku: delivery.sku,
        quantity: delivery.quantity,
        partial: delivery.partial,
      },
      'simulated supplier delivered a purchase order',
    );
  }
}

/**
 * The simulated supplier (STOCKADE_SUPPLIER_SIMULATOR; unset, on in the embedded runner so the
 * demo restocks itself, off in inventory-service run alone): hosted next to inventory, but it
 * talks to it only over the bus, as a real purchasing system would. Never run it where a real one
 * consumes `inventory.reorders`.
 */
@Module({})
export class SupplierSimulatorModule {
  static register(): DynamicModule {
    return {
      module: SupplierSimulatorModule,
      controllers: [SupplierSimulatorController],
      providers: [
        {
          provide: SUPPLIER,
          useFactory: (bus: MessageBus, clock: Clock, config: StockadeConfig) =>
            new SimulatedSupplier(bus, clock, {
              delayMs: config.STOCKADE_SUPPLIER_DELAY_MS,
              partialRate: config.STOCKADE_SUPPLIER_PARTIAL_RATE,
              partialFraction: config.STOCKADE_SUPPLIER_PARTIAL_FRACTION,
            }),
          inject: [MESSAGE_BUS, CLOCK, STOCKADE_CONFIG],
        },
      ],
    };
  }
}
