import type {
  CatalogList,
  CatalogQuery,
  InventoryList,
  InventoryListQuery,
  InventoryView,
  ListingRequest,
  ReplenishmentList,
  StockSettingsRequest,
} from '@stockade/contracts';

/**
 * What the HTTP API needs from inventory. In the embedded runner this is the service itself; in front
 * of distributed services a remote client (the gateway). Controllers see only this, so the public
 * contract is the same in both modes.
 */
export interface InventoryFacade {
  getStock(sku: string): Promise<InventoryView | undefined>;
  /** With `purchaseOrderId`, goods against that purchase order (received once). */
  receiveStock(sku: string, quantity: number, purchaseOrderId?: string): Promise<InventoryView>;
  adjustStock(sku: string, delta: number, reason: string): Promise<InventoryView>;
  /** Low-stock threshold and reorder policy. */
  configureStock(sku: string, settings: StockSettingsRequest): Promise<InventoryView>;
  /** The SKU's name and price in the catalog (ADR 0022); a repeat of its listing changes nothing. */
  setListing(sku: string, listing: ListingRequest): Promise<InventoryView>;
  /** A page of every SKU's levels in SKU order (operators: what is low, what is out). */
  listStock(query: InventoryListQuery): Promise<InventoryList>;
  /** A page of the listed SKUs in SKU order: name, price, availability (shops). */
  listCatalog(query: CatalogQuery): Promise<CatalogList>;
  /** Alerts, open purchase orders and settings of every SKU that has any. */
  listReplenishment(): Promise<ReplenishmentList>;
}

/** Injection token: the inventory module provides the facade of its own routes. */
export const INVENTORY_FACADE = Symbol('InventoryFacade');
