import { Body, Delete, Get, HttpCode, Inject, Param, Post, Put } from '@nestjs/common';
import { ApiController } from './access.guard';
import { CartCheckoutRequest, CreateCartRequest, Identifier, parseOrThrow, SetCartItemRequest, Sku } from '@stockade/contracts';
import type { CartView } from '@stockade/cart-service';
import { CARTS_FACADE, CartsFacade } from './facades';

@ApiController('carts')
export class CartsController {
  constructor(@Inject(CARTS_FACADE) private readonly carts: CartsFacade) {}

  @Post()
  @HttpCode(201)
  async create(@Body() body: unknown): Promise<CartView> {
    return this.carts.create(parseOrThrow(CreateCartRequest, body ?? {}));
  }

  @Get(':cartId')
  async get(@Param('cartId') cartId: string): Promise<CartView> {
    return this.carts.get(parseOrThrow(Identifier, cartId, 'cartId'));
  }

  @Put(':cartId/items/:sku')
  async setItem(@Param('cartId') cartId: string, @Param('sku') sku: string, @Body() body: unknown): Promise<CartView> {
    const change = parseOrThrow(SetCartItemRequest, body);
    return this.carts.setItem(parseOrThrow(Identifier, cartId, 'cartId'), parseOrThrow(Sku, sku, 'sku'), change);
  }

  @Delete(':cartId/items/:sku')
  async removeItem(@Param('cartId') cartId: string, @Param('sku') sku: string): Promise<CartView> {
    return this.carts.removeItem(parseOrThrow(Identifier, cartId, 'cartId'), parseOrThrow(Sku, sku, 'sku'));
  }

  @Post(':cartId/checkout')
  @HttpCode(202)
  async checkout(@Param('cartId') cartId: string, @Body() body: unknown): Promise<{ orderId: string }> {
    const { paymentToken } = parseOrThrow(CartCheckoutRequest, body ?? {});
    return this.carts.checkout(parseOrThrow(Identifier, cartId, 'cartId'), paymentToken);
  }
}
