import { Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { TOPICS } from '@stockade/contracts';
import { consumerGroup, MessageController } from '@stockade/nest-bus';
import type { createOrderingService } from '@stockade/ordering-service';
import { ORDER_SAGA_GROUP, ORDERING } from './ordering.tokens';

/**
 * The order saga's inputs: checkouts from upstream and carts, outcomes from inventory, and the
 * payment commands the saga itself issues (the payment worker). Each topic reads in a group of
 * its own, so a slow payment gateway never holds back reservations.
 */
@MessageController()
export class OrderingMessagesController {
  constructor(@Inject(ORDERING) private readonly ordering: ReturnType<typeof createOrderingService>) {}

  @EventPattern(TOPICS.checkoutRequested, consumerGroup('order-service', { concurrency: 500 }))
  checkoutRequested(@Payload() value: string): Promise<unknown> {
    return this.ordering.service.handleCheckoutRequested(value);
  }

  @EventPattern(TOPICS.inventoryEvents, consumerGroup(ORDER_SAGA_GROUP, { concurrency: 1000 }))
  inventoryEvent(@Payload() value: string): Promise<void> {
    return this.ordering.service.handleInventoryEvent(value);
  }

  @EventPattern(TOPICS.paymentCommands, consumerGroup('order-service-payments', { concurrency: 1000 }))
  paymentCommand(@Payload() value: string): Promise<void> {
    return this.ordering.service.handlePaymentCommand(value);
  }
}
