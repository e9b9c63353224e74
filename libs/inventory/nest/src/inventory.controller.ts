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

@ApiController('inventory')
export class InventoryController {
  constructor(@Inject(INVENTORY_FACADE) private readonly inventory: InventoryFacade) {}

  /** Every SKU's levels, a page at a time; `?status=LIMITED,OUT_OF_STOCK` for what needs reordering. */
  @Get()
  @Access('operator')
  async list(@Query() query: unknown): Promise<InventoryList> {
    return this.inventory.listStock(parseOrThrow(InventoryListQuery, query));
  }

  /** Raised low-stock alerts, open purchase orders and the settings behind them. */
  @Get('replenishment')
  @Access('operator')
  async replenishment(): Promise<ReplenishmentList> {
    return this.inventory.listReplenishment();
  }

  @Get(':sku')
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
  async receive(@Param('sku') sku: string, @Body() body: unknown): Promise<InventoryView> {
    const id = parseOrThrow(Sku, sku, 'sku');
    const { quantity, purchaseOrderId } = parseOrThrow(StockReceiptRequest, body);
    return this.inventory.receiveStock(id, quantity, purchaseOrderId);
  }

  /** The low-stock threshold and reorder policy; takes effect at once (an alert or a reorder may follow). */
  @Put(':sku/settings')
  @Access('operator')
  async configure(@Param('sku') sku: string, @Body() body: unknown): Promise<InventoryView> {
    const id = parseOrThrow(Sku, sku, 'sku');
    return this.inventory.configureStock(id, parseOrThrow(StockSettingsRequest, body));
  }

  /** Stock count corrections (damage, shrinkage, found goods); refused if it would break reservations. */
  @Post(':sku/adjustments')
  @HttpCode(201)
  @Access('operator')
  async adjust(@Param('sku') sku: string, @Body() body: unknown): Promise<InventoryView> {
    const id = parseOrThrow(Sku, sku, 'sku');
    const { delta, reason } = parseOrThrow(StockAdjustmentRequest, body);
    return this.inventory.adjustStock(id, delta, reason);
  }
}
