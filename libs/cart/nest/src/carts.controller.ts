import { randomUUID } from 'node:crypto';
import { Body, Delete, Get, HttpCode, Inject, Param, Post, Put, Req } from '@nestjs/common';
import { ACCESS_POLICY, AccessPolicy, ApiController, CallerNamespace, CallerRequest } from '@stockade/api';
import { CartCheckoutRequest, CreateCartRequest, parseOrThrow, SetCartItemRequest, Sku } from '@stockade/contracts';
import type { CartView } from '@stockade/cart-service';
import { NotFoundError } from '@stockade/kernel';
import { CARTS_FACADE, CartsFacade } from './carts.facade';

/**
 * Carts, per sales channel (ADR 0021), as orders are: a channel's cart ids are stored under
 * `<channel>:`, its carts belong to its customers (`<channel>:guest` when it names none), another
 * namespace's cart is unknown (404) whatever the route, and a cart's checkout ids
 * (`<cartId>.<n>`) are therefore in its namespace too.
 */
@ApiController('carts')
export class CartsController {
  constructor(
    @Inject(CARTS_FACADE) private readonly carts: CartsFacade,
    @Inject(ACCESS_POLICY) private readonly access: AccessPolicy,
  ) {}

  /** 201 with the cart; the same cart id again for the same customer is that cart, for another customer 409. */
  @Post()
  @HttpCode(201)
  async create(@Body() body: unknown, @Req() request: CallerRequest): Promise<CartView> {
    const { cartId, customerId } = parseOrThrow(CreateCartRequest, body ?? {});
    const namespace = CallerNamespace.of(request, this.access);
    return this.carts.create({ cartId: namespace.idToCreate(cartId ?? randomUUID(), 'cartId'), customerId: namespace.customerToCreate(customerId) });
  }

  @Get(':cartId')
  async get(@Param('cartId') cartId: string, @Req() request: CallerRequest): Promise<CartView> {
    return this.ownCart(CallerNamespace.of(request, this.access), cartId);
  }

  @Put(':cartId/items/:sku')
  async setItem(@Param('cartId') cartId: string, @Param('sku') sku: string, @Body() body: unknown, @Req() request: CallerRequest): Promise<CartView> {
    const change = parseOrThrow(SetCartItemRequest, body);
    const id = await this.ownCartId(request, cartId);
    return this.carts.setItem(id, parseOrThrow(Sku, sku, 'sku'), change);
  }

  @Delete(':cartId/items/:sku')
  async removeItem(@Param('cartId') cartId: string, @Param('sku') sku: string, @Req() request: CallerRequest): Promise<CartView> {
    const id = await this.ownCartId(request, cartId);
    return this.carts.removeItem(id, parseOrThrow(Sku, sku, 'sku'));
  }

  @Post(':cartId/checkout')
  @HttpCode(202)
  async checkout(@Param('cartId') cartId: string, @Body() body: unknown, @Req() request: CallerRequest): Promise<{ orderId: string }> {
    const { paymentToken } = parseOrThrow(CartCheckoutRequest, body ?? {});
    return this.carts.checkout(await this.ownCartId(request, cartId), paymentToken);
  }

  /** The stored id of a cart the caller may change; operators change any cart without it being read first. */
  private async ownCartId(request: CallerRequest, given: string): Promise<string> {
    const namespace = CallerNamespace.of(request, this.access);
    if (namespace.reachesEverything) return namespace.idToReach(given, 'cartId') as string;
    return (await this.ownCart(namespace, given)).cartId;
  }

  private async ownCart(namespace: CallerNamespace, given: string): Promise<CartView> {
    const id = namespace.idToReach(given, 'cartId');
    const cart = id === undefined ? undefined : await this.carts.get(id).catch((error: unknown) => (error instanceof NotFoundError ? undefined : Promise.reject(error)));
    if (!cart || !namespace.reaches({ id: cart.cartId, customerId: cart.customerId })) throw new NotFoundError('cart', given);
    return cart;
  }
}
