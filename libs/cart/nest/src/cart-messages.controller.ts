import { Inject, Type } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import type { CartService } from '@stockade/cart-service';
import { TOPICS } from '@stockade/contracts';
import { consumerGroup, MessageController } from '@stockade/nest-bus';
import { CART_SERVICE, CART_STORAGE } from './cart.tokens';
import type { CartStorage } from './cart-storage';

/** Order outcomes close a cart's checkout, or reopen the cart when the order was rejected. */
@MessageController()
export class CartOrderOutcomesController {
  constructor(@Inject(CART_SERVICE) private readonly carts: CartService) {}

  @EventPattern(TOPICS.orderEvents, consumerGroup('cart-service', { concurrency: 200 }))
  orderOutcome(@Payload() value: string): Promise<void> {
    return this.carts.handleOrderOutcome(value);
  }
}

/**
 * The stock-level feed into the cart's availability table. With Redis one group serves the
 * whole fleet; an in-process table is per process, so it reads the topic from the start in a
 * group of its own.
 */
export function stockLevelFeedController(group: { readonly groupId: string; readonly ephemeral: boolean }): Type {
  @MessageController()
  class StockLevelFeedController {
    constructor(@Inject(CART_STORAGE) private readonly storage: CartStorage) {}

    @EventPattern(
      TOPICS.stockLevels,
      consumerGroup(group.groupId, { fromBeginning: true, concurrency: 1000, ephemeral: group.ephemeral }),
    )
    stockLevel(@Payload() value: string): Promise<void> {
      return this.storage.levels.handleStockLevelChanged(value);
    }
  }
  return StockLevelFeedController;
}
