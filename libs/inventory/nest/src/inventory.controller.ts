import { Body, Get, HttpCode, Inject, Param, Post, Put, Query } from '@nestjs/common';
import {
  InventoryList,
  InventoryListQuery,
  InventoryView,
  parseOrThrow,
  ReplenishmentList,
  Sku,
  StockAdjustmentRequest,
  StockReceiptRequest,
  StockSettingsRequest,
} from '@stockade/contracts';
import { NotFoundError } from '@stockade/kernel';
import { Access, ApiController } from '@stockade/api';
import { INVENTORY_FACADE, InventoryFacade } from './inventory.facade';
import { Answers, JsonBody, QueryFrom, Refuses, Summary } from '@stockade/api';

@ApiController('inventory')
export class InventoryController {
  constructor(@Inject(INVENTORY_FACADE) private readonly inventory: InventoryFacade) {}

  /** Every SKU's levels, a page at a time; `?status=LIMITED,OUT_OF_STOCK` for what needs reordering. */
  @Get()
  @Access('operator')
  @Summary('Every SKU, a page at a time in SKU order (operator): what is low, what is out')
  @QueryFrom(InventoryListQuery, {
    status: 'Only these statuses (comma-separated IN_STOCK, LIMITED, OUT_OF_STOCK), e.g. LIMITED,OUT_OF_STOCK',
    after: "The previous page's `next`",
  })
  @Answers(200, 'A page of levels; `next` is absent on the last page', 'InventoryList')
  @Refuses({ 400: 'Invalid query, the issue names the parameter' })
  async list(@Query() query: unknown): Promise<InventoryList> {
    return this.inventory.listStock(parseOrThrow(InventoryListQuery, query));
  }

  /** Raised low-stock alerts, open purchase orders and the settings behind them. */
  @Get('replenishment')
  @Access('operator')
  @Summary('Raised low-stock alerts, open purchase orders and their settings, per SKU (operator)')
  @Answers(200, 'Every SKU with settings, an alert or an open purchase order', 'ReplenishmentList')
  async replenishment(): Promise<ReplenishmentList> {
    return this.inventory.listReplenishment();
  }

  @Get(':sku')
  @Summary('Stock levels of a SKU, with its name and price once it is listed')
  @Answers(200, 'Levels', 'InventoryView')
  @Refuses({ 400: 'Invalid SKU, the issue names sku', 404: 'Unknown SKU' })
  async get(@Param('sku') sku: string): Promise<InventoryView> {
    const id = parseOrThrow(Sku, sku, 'sku');
    const view = await this.inventory.getStock(id);
    if (!view) throw new NotFoundError('sku', id);
    return view;
  }

  /** Goods arrived. A new SKU comes into being with its first receipt. */
  @Post(':sku/receipts')
  @HttpCode(201)
  @Access('operator')
  @Summary(
    'Receive stock (operator); with purchaseOrderId, a delivery against that order (received once, a repeat changes nothing)',
  )
  @JsonBody('StockReceiptRequest')
  @Answers(201, 'New levels', 'InventoryView')
  async receive(@Param('sku') sku: string, @Body() body: unknown): Promise<InventoryView> {
    const id = parseOrThrow(Sku, sku, 'sku');
    const { quantity, purchaseOrderId } = parseOrThrow(StockReceiptRequest, body);
    return this.inventory.receiveStock(id, quantity, purchaseOrderId);
  }

  /** The low-stock threshold and reorder policy; takes effect at once (an alert or a reorder may follow). */
  @Put(':sku/settings')
  @Access('operator')
  @Summary('Set the low-stock threshold and reorder policy (operator); an alert or a purchase order may follow at once')
  @JsonBody('StockSettingsRequest')
  @Answers(200, 'Levels', 'InventoryView')
  @Refuses({ 400: 'Invalid settings, the issue names the field', 404: 'Unknown SKU' })
  async configure(@Param('sku') sku: string, @Body() body: unknown): Promise<InventoryView> {
    const id = parseOrThrow(Sku, sku, 'sku');
    return this.inventory.configureStock(id, parseOrThrow(StockSettingsRequest, body));
  }

  /** Stock count corrections (damage, shrinkage, found goods); refused if it would break reservations. */
  @Post(':sku/adjustments')
  @HttpCode(201)
  @Access('operator')
  @Summary('Adjust stock with a reason (operator)')
  @JsonBody('StockAdjustmentRequest')
  @Answers(201, 'New levels', 'InventoryView')
  @Refuses({ 409: 'Would leave reserved units without stock' })
  async adjust(@Param('sku') sku: string, @Body() body: unknown): Promise<InventoryView> {
    const id = parseOrThrow(Sku, sku, 'sku');
    const { delta, reason } = parseOrThrow(StockAdjustmentRequest, body);
    return this.inventory.adjustStock(id, delta, reason);
  }
}
