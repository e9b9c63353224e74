import { Body, Get, Inject, Param, Put, Query } from '@nestjs/common';
import { CatalogList, CatalogQuery, InventoryView, ListingRequest, parseOrThrow, Sku } from '@stockade/contracts';
import { Access, ApiController } from '@stockade/api';
import { INVENTORY_FACADE, InventoryFacade } from './inventory.facade';
import { Answers, JsonBody, QueryFrom, Refuses, Summary } from '@stockade/api';

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
  @Summary('The catalog: listed SKUs in SKU order with name, price and what is available, a page at a time')
  @QueryFrom(CatalogQuery, { after: "The previous page's `next`" })
  @Answers(200, 'A page of listed SKUs; `next` is absent on the last page', 'CatalogList')
  @Refuses({ 400: 'Invalid query, the issue names the parameter' })
  async list(@Query() query: unknown): Promise<CatalogList> {
    return this.inventory.listCatalog(parseOrThrow(CatalogQuery, query));
  }

  /** Lists the SKU, or changes its name or price; the same listing again changes nothing. A SKU may be listed before its first receipt. */
  @Put(':sku')
  @Access('operator')
  @Summary(
    'List a SKU or change its name or price (operator): carts are priced from it; the same listing again changes nothing; a SKU may be listed before its first receipt',
  )
  @JsonBody('ListingRequest')
  @Answers(200, 'The SKU with its levels and listing', 'InventoryView')
  @Refuses({ 400: 'Invalid listing, the issue names the field (a price of 0, of three decimals…)' })
  async setListing(@Param('sku') sku: string, @Body() body: unknown): Promise<InventoryView> {
    const id = parseOrThrow(Sku, sku, 'sku');
    return this.inventory.setListing(id, parseOrThrow(ListingRequest, body));
  }
}
