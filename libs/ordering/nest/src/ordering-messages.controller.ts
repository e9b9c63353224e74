import { Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { TOPICS } from '@stockade/contracts';
import { consumerGroup, MessageController } from '@stockade/nest-bus';
import type { createOrderingService } from '@stockade/ordering-service';
import type { CheckoutAdmission } from './checkout-admission';
import { CHECKOUT_ADMISSION, ORDER_SAGA_GROUP, ORDERING } from './ordering.tokens';

/**
 * The group every checkout topic reads in (checkout.requested and each channel's own): one
 * subscription, so the topics share its concurrency, and a consumer held by back-pressure holds all of them.
 */
export const CHECKOUTS_GROUP = consumerGroup('order-service', { concurrency: 500 });

/**
 * The order saga's inputs: checkouts from upstream and carts, outcomes from inventory, and the
 * payment commands the saga itself issues (the payment worker). Each topic reads in a group of
 * its own, so a slow payment gateway never holds back reservations. Checkouts pass admission
 * (back-pressure) as POST /checkouts does; each sales channel's own topic has a controller of its
 * own (channelCheckoutsController).
 */
@MessageController()
export class OrderingMessagesController {
  constructor(
    @Inject(ORDERING) private readonly ordering: ReturnType<typeof createOrderingService>,
    @Inject(CHECKOUT_ADMISSION) private readonly admission: CheckoutAdmission,
  ) {}

  /** The trusted producers' topic (cart-service, and upstreams of a deployment without channels): checkouts as they are. */
  @EventPattern(TOPICS.checkoutRequested, CHECKOUTS_GROUP)
  async checkoutRequested(@Payload() value: string): Promise<unknown> {
    return this.admission.placeCheckoutMessage(value);
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
