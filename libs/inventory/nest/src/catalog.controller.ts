import { Body, Get, Inject, Param, Put, Query } from '@nestjs/common';
import { CatalogList, CatalogQuery, InventoryView, ListingRequest, parseOrThrow, Sku } from '@stockade/contracts';
import { Access, ApiController } from '@stockade/api';
import { INVENTORY_FACADE, InventoryFacade } from './inventory.facade';

/**
 * The catalog (ADR 0022): what each SKU is sold as, set by operators and read by shops. A SKU's
 * listing lives on its stock aggregate, so these routes go to the inventory facade; carts are
 * priced from it, never by the shopper.
 */
@ApiController('catalog')
export class CatalogController {
  constructor(@Inject(INVENTORY_FACADE) private readonly inventory: InventoryFacade) {}

  /** Listed SKUs in SKU order with name, price and what is available, a page at a time (same access as GET /inventory/{sku}). */
  @Get()
  async list(@Query() query: unknown): Promise<CatalogList> {
    return this.inventory.listCatalog(parseOrThrow(CatalogQuery, query));
  }

  /** Lists the SKU, or changes its name or price; the same listing again changes nothing. A SKU may be listed before its first receipt. */
  @Put(':sku')
  @Access('operator')
  async setListing(@Param('sku') sku: string, @Body() body: unknown): Promise<InventoryView> {
    const id = parseOrThrow(Sku, sku, 'sku');
    return this.inventory.setListing(id, parseOrThrow(ListingRequest, body));
  }
}
