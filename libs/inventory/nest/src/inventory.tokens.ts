/** The inventory service's own providers; override them in a test module to swap a store. */
export const INVENTORY_EVENT_STORE = Symbol('InventoryEventStore');
export const INVENTORY_SERVICE = Symbol('InventoryService');
/** The consumer group of inventory.commands: its partitions are the shards an instance owns. */
export const INVENTORY_COMMANDS_GROUP = 'inventory-service';
