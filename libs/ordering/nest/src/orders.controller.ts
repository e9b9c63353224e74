import { Body, Get, HttpCode, Inject, Param, Post, Req, Res } from '@nestjs/common';
import {
  AcceptsNdjson,
  ACCESS_POLICY,
  AccessPolicy,
  admitBatch,
  ApiController,
  batchItems,
  CallerNamespace,
  CallerRequest,
  GatedRequest,
  HTTP_LIMITS,
  HttpLimits,
  placeCheckoutBatch,
  ReplyLike,
} from '@stockade/api';
import { CheckoutRequest, OrderView, parseOrThrow } from '@stockade/contracts';
import { NotFoundError } from '@stockade/kernel';
import { ORDERS_FACADE, OrdersFacade } from './orders.facade';
import { Answers, JsonBody, Refuses, Summary } from '@stockade/api';

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
  @Summary(
    'Request a checkout, or a batch of them (idempotent by checkoutId within the caller’s namespace)',
    "One checkout object answers 202. A batch, as a JSON array of checkouts or as NDJSON (`application/x-ndjson`, one CheckoutRequest JSON object per line, up to STOCKADE_BATCH_BODY_LIMIT_BYTES), answers 207 with each checkout answered on its own in `results` (202 with its order id, or the status and error body it would get alone); at most STOCKADE_MAX_CHECKOUTS_PER_REQUEST (default 1,000) per request; each checkout costs one request of the caller's rate limit, those past it are 429 inside the 207.",
  )
  @JsonBody({
    oneOf: [
      { $ref: '#/components/schemas/CheckoutRequest' },
      { type: 'array', items: { $ref: '#/components/schemas/CheckoutRequest' }, minItems: 1 },
    ],
  })
  @Answers(202, 'Order placed; follow it at /orders/{orderId}', 'CheckoutAccepted')
  @Answers(207, 'A batch: each checkout answered on its own', 'CheckoutBatchResponse')
  @Refuses({
    400: 'Invalid body, the issue names the field (for a batch: empty, or more checkouts than allowed; a checkoutId too long once qualified by the channel)',
    403: "customerId (or checkoutId) outside the caller's namespace, the issue names the field",
    409: 'checkoutId already used for a checkout with another customer or other lines (an identical repeat is 202 with the same order)',
    503: 'Too many orders in flight; retry after Retry-After',
  })
  async checkout(
    @Body() body: unknown,
    @Req() request: CallerRequest & GatedRequest,
    @Res() reply: ReplyLike,
  ): Promise<void> {
    const namespace = CallerNamespace.of(request, this.access);
    const place = (checkout: CheckoutRequest) =>
      this.orders.placeOrder({
        ...checkout,
        checkoutId: namespace.idToCreate(checkout.checkoutId, 'checkoutId'),
        customerId: namespace.customerToCreate(checkout.customerId),
      });
    const batch = batchItems(body);
    if (batch) {
      reply
        .status(207)
        .send(
          await placeCheckoutBatch(batch, place, this.limits.maxCheckoutsPerRequest, (count) =>
            admitBatch(request, count),
          ),
        );
      return;
    }
    reply.status(202).send(await place(parseOrThrow(CheckoutRequest, body)));
  }

  /** Another namespace's order is answered as unknown (404), not as forbidden, so ids cannot be probed. */
  @Get('orders/:orderId')
  @Summary('An order and its status')
  @Answers(200, 'The order', 'OrderView')
  @Refuses({ 404: "Unknown order, or another channel's" })
  async getOrder(@Param('orderId') orderId: string, @Req() request: CallerRequest): Promise<OrderView> {
    return this.ownOrder(CallerNamespace.of(request, this.access), orderId);
  }

  /** 202: the saga releases the reservation, then the order is CANCELLED. 409 once it completed. */
  @Post('orders/:orderId/cancel')
  @HttpCode(202)
  @Summary('Cancel before completion (releases the reservation); no body, but content-type: application/json')
  @Answers(202, 'Cancellation under way', 'CheckoutAccepted')
  @Refuses({ 404: "Unknown order, or another channel's", 409: 'Already completed or terminal' })
  async cancel(@Param('orderId') orderId: string, @Req() request: CallerRequest): Promise<{ orderId: string }> {
    const namespace = CallerNamespace.of(request, this.access);
    const id = namespace.reachesEverything
      ? (namespace.idToReach(orderId, 'orderId') as string)
      : (await this.ownOrder(namespace, orderId)).orderId;
    await this.orders.cancelOrder(id);
    return { orderId: id };
  }

  private async ownOrder(namespace: CallerNamespace, given: string): Promise<OrderView> {
    const id = namespace.idToReach(given, 'orderId');
    const order = id === undefined ? undefined : await this.orders.getOrder(id);
    if (!order || !namespace.reaches({ id: order.orderId, customerId: order.customerId }))
      throw new NotFoundError('order', given);
    return order;
  }
}
