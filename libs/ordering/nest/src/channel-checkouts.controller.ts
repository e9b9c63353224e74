import { Inject, Type } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { channelCheckoutTopic } from '@stockade/contracts';
import { MessageController } from '@stockade/nest-bus';
import type { CheckoutAdmission } from './checkout-admission';
import { CHECKOUTS_GROUP } from './ordering-messages.controller';
import { CHECKOUT_ADMISSION } from './ordering.tokens';

/**
 * The consumer of one sales channel's own topic, `checkout.requested.<channel>` (ADR 0023). The
 * broker lets only the channel's principal write it (ACLs), so the topic is the channel's
 * identity: a checkout there for another channel's customer is refused (dead-lettered to
 * `checkout.requested.<channel>.dlq`, naming both), and an order id is `<channel>:<checkoutId>`,
 * as the channel's checkout over HTTP. Same group and admission as checkout.requested.
 */
export function channelCheckoutsController(channel: string): Type {
  @MessageController()
  class ChannelCheckoutsController {
    constructor(@Inject(CHECKOUT_ADMISSION) private readonly admission: CheckoutAdmission) {}

    @EventPattern(channelCheckoutTopic(channel), CHECKOUTS_GROUP)
    async checkoutRequested(@Payload() value: string): Promise<unknown> {
      return this.admission.placeCheckoutMessage(value, channel);
    }
  }
  // Nest names controllers in its logs and errors: one class per channel, each its own name.
  Object.defineProperty(ChannelCheckoutsController, 'name', { value: `ChannelCheckoutsController(${channel})` });
  return ChannelCheckoutsController;
}
