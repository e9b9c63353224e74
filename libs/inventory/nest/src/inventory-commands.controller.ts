import { Inject } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { TOPICS } from '@stockade/contracts';
import type { InventoryService } from '@stockade/inventory-service';
import { BusContext, consumerGroup, MessageController } from '@stockade/nest-bus';
import { INVENTORY_COMMANDS_GROUP, INVENTORY_SERVICE } from './inventory.tokens';

/** Reserve, commit and release commands from the order saga, keyed by checkout. */
@MessageController()
export class InventoryCommandsController {
  constructor(@Inject(INVENTORY_SERVICE) private readonly inventory: InventoryService) {}

  // Many checkouts in flight at once is what lets the single writer group-commit them.
  @EventPattern(TOPICS.inventoryCommands, consumerGroup(INVENTORY_COMMANDS_GROUP, { concurrency: 1000 }))
  handleCommand(@Payload() value: string, @Ctx() context: BusContext): Promise<unknown> {
    return this.inventory.commandHandler.handle(value, context.getMessage());
  }
}
