/** The inventory service's own providers; override them in a test module to swap a store. */
export const INVENTORY_EVENT_STORE = Symbol('InventoryEventStore');
export const INVENTORY_SERVICE = Symbol('InventoryService');
