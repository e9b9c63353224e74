import { Body, Get, HttpCode, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { AcceptsNdjson, ACCESS_POLICY, AccessPolicy, admitBatch, ApiController, batchItems, CallerNamespace, CallerRequest, GatedRequest, HTTP_LIMITS, HttpLimits, placeCheckoutBatch, ReplyLike } from '@stockade/api';
import { CheckoutRequest, OrderView, parseOrThrow } from '@stockade/contracts';
import { NotFoundError } from '@stockade/kernel';
import { ORDERS_FACADE, OrdersFacade } from './orders.facade';

/**
 * Orders, per sales channel (ADR 0021): a channel's checkout ids are stored under `<channel>:`
 * (its `chk-1` is order `web:chk-1`, and both names reach it), its customers are `<channel>:…`, and
 * another namespace's orders are unknown (404) to it. `{orderId}` in an answer is the stored id.
 */
@ApiController()
export class OrdersController {
  constructor(
    @Inject(ORDERS_FACADE) private readonly orders: OrdersFacade,
    @Inject(HTTP_LIMITS) private readonly limits: HttpLimits,
    @Inject(ACCESS_POLICY) private readonly access: AccessPolicy,
  ) {}

  /**
   * One checkout: 202, the order exists and its saga runs; follow it with GET /orders/{orderId}.
   * An identical repeat is harmless; the same id with another customer or other lines is 409. A
   * batch (a JSON array, or NDJSON): 207, each checkout answered on its own in `results`, with the
   * same idempotency; each checkout costs the caller one request of its rate limit, and those past
   * it are answered 429 in `results`.
   */
  @Post('checkouts')
  @AcceptsNdjson()
  async checkout(@Body() body: unknown, @Req() request: CallerRequest & GatedRequest, @Res() reply: ReplyLike): Promise<void> {
    const namespace = CallerNamespace.of(request, this.access);
    const place = (checkout: CheckoutRequest) =>
      this.orders.placeOrder({ ...checkout, checkoutId: namespace.idToCreate(checkout.checkoutId, 'checkoutId'), customerId: namespace.customerToCreate(checkout.customerId) });
    const batch = batchItems(body);
    if (batch) {
      reply.status(207).send(await placeCheckoutBatch(batch, place, this.limits.maxCheckoutsPerRequest, (count) => admitBatch(request, count)));
      return;
    }
    reply.status(202).send(await place(parseOrThrow(CheckoutRequest, body)));
  }

  /** Another namespace's order is answered as unknown (404), not as forbidden, so ids cannot be probed. */
  @Get('orders/:orderId')
  async getOrder(@Param('orderId') orderId: string, @Req() request: CallerRequest): Promise<OrderView> {
    return this.ownOrder(CallerNamespace.of(request, this.access), orderId);
  }

  /** 202: the saga releases the reservation, then the order is CANCELLED. 409 once it completed. */
  @Post('orders/:orderId/cancel')
  @HttpCode(202)
  async cancel(@Param('orderId') orderId: string, @Req() request: CallerRequest): Promise<{ orderId: string }> {
    const namespace = CallerNamespace.of(request, this.access);
    const id = namespace.reachesEverything ? (namespace.idToReach(orderId, 'orderId') as string) : (await this.ownOrder(namespace, orderId)).orderId;
    await this.orders.cancelOrder(id);
    return { orderId: id };
  }

  private async ownOrder(namespace: CallerNamespace, given: string): Promise<OrderView> {
    const id = namespace.idToReach(given, 'orderId');
    const order = id === undefined ? undefined : await this.orders.getOrder(id);
    if (!order || !namespace.reaches({ id: order.orderId, customerId: order.customerId })) throw new NotFoundError('order', given);
    return order;
  }
}
