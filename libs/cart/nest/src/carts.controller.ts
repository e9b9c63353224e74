import { randomUUID } from 'node:crypto';
import { Body, Delete, Get, HttpCode, Inject, Param, Post, Put, Req } from '@nestjs/common';
import { ACCESS_POLICY, AccessPolicy, ApiController, CallerNamespace, CallerRequest } from '@stockade/api';
import { CartCheckoutRequest, CreateCartRequest, parseOrThrow, SetCartItemRequest, Sku } from '@stockade/contracts';
import type { CartView } from '@stockade/cart-service';
import { NotFoundError } from '@stockade/kernel';
import { CARTS_FACADE, CartsFacade } from './carts.facade';
import { Answers, JsonBody, Refuses, Summary } from '@stockade/api';

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
  @Summary(
    "Create a cart (the same cartId again: that cart, for its customer); a channel's carts belong to its customers (`<channel>:guest` when none is named)",
  )
  @JsonBody('CreateCartRequest', { required: false })
  @Answers(201, 'The cart', 'CartView')
  @Refuses({
    403: "customerId or cartId outside the caller's namespace",
    409: 'cartId already used for another customer',
  })
  async create(@Body() body: unknown, @Req() request: CallerRequest): Promise<CartView> {
    const { cartId, customerId } = parseOrThrow(CreateCartRequest, body ?? {});
    const namespace = CallerNamespace.of(request, this.access);
    return this.carts.create({
      cartId: namespace.idToCreate(cartId ?? randomUUID(), 'cartId'),
      customerId: namespace.customerToCreate(customerId),
    });
  }

  @Get(':cartId')
  @Summary('A cart with a stock badge per line')
  @Answers(200, 'The cart', 'CartView')
  @Refuses({ 404: "Unknown cart, or another channel's" })
  async get(@Param('cartId') cartId: string, @Req() request: CallerRequest): Promise<CartView> {
    return this.ownCart(CallerNamespace.of(request, this.access), cartId);
  }

  @Put(':cartId/items/:sku')
  @Summary("Set a line quantity (refused above what is available); the price is the catalog's")
  @JsonBody('SetCartItemRequest')
  @Answers(200, 'The cart', 'CartView')
  @Refuses({
    400: 'Invalid body, the issue names the field; a unitPrice is refused: prices come from the catalog',
    404: "Unknown cart, or another channel's",
    409: 'Only N available, the SKU is not for sale (no price in the catalog), or the cart is checking out',
  })
  async setItem(
    @Param('cartId') cartId: string,
    @Param('sku') sku: string,
    @Body() body: unknown,
    @Req() request: CallerRequest,
  ): Promise<CartView> {
    const change = parseOrThrow(SetCartItemRequest, body);
    const id = await this.ownCartId(request, cartId);
    return this.carts.setItem(id, parseOrThrow(Sku, sku, 'sku'), change);
  }

  @Delete(':cartId/items/:sku')
  @Summary('Remove a line; no body, but content-type: application/json')
  @Answers(200, 'The cart', 'CartView')
  @Refuses({ 404: "Unknown cart, or another channel's" })
  async removeItem(
    @Param('cartId') cartId: string,
    @Param('sku') sku: string,
    @Req() request: CallerRequest,
  ): Promise<CartView> {
    const id = await this.ownCartId(request, cartId);
    return this.carts.removeItem(id, parseOrThrow(Sku, sku, 'sku'));
  }

  @Post(':cartId/checkout')
  @HttpCode(202)
  @Summary(
    "Check the cart out at the catalog's prices now (emits CheckoutRequested.v1 with the payment reference, never the token); the order id is `<cartId>.<n>`",
  )
  @JsonBody('CartCheckoutRequest', { required: false })
  @Answers(202, 'Order id', 'CheckoutAccepted')
  @Refuses({
    400: 'Empty cart, or an invalid body (the issue names the field)',
    404: "Unknown cart, or another channel's",
    409: 'Already checking out, or a line is not for sale',
  })
  async checkout(
    @Param('cartId') cartId: string,
    @Body() body: unknown,
    @Req() request: CallerRequest,
  ): Promise<{ orderId: string }> {
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
    const cart =
      id === undefined
        ? undefined
        : await this.carts
            .get(id)
            .catch((error: unknown) => (error instanceof NotFoundError ? undefined : Promise.reject(error)));
    if (!cart || !namespace.reaches({ id: cart.cartId, customerId: cart.customerId }))
      throw new NotFoundError('cart', given);
    return cart;
  }
}
