import { Body, Get, HttpCode, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { AcceptsNdjson, ApiController, Caller, channelOf } from './access.guard';
import { admitBatch, GatedRequest } from './access-gate';
import { CheckoutRequest, Identifier, OrderView, parseOrThrow } from '@stockade/contracts';
import { NotFoundError, StockadeError } from '@stockade/kernel';
import { batchItems, placeCheckoutBatch } from './checkout-batch';
import { HTTP_LIMITS, HttpLimits, ORDERS_FACADE, OrdersFacade } from './facades';
import type { ReplyLike } from './reply';

@ApiController()
export class OrdersController {
  constructor(
    @Inject(ORDERS_FACADE) private readonly orders: OrdersFacade,
    @Inject(HTTP_LIMITS) private readonly limits: HttpLimits,
  ) {}

  /**
   * One checkout: 202, the order exists and its saga runs; follow it with GET /orders/{orderId}.
   * Repeats are harmless. A batch (a JSON array, or NDJSON): 207, each checkout answered on its
   * own in `results`, with the same idempotency; each checkout costs the caller one request of its
   * rate limit, and those past it are answered 429 in `results`.
   */
  @Post('checkouts')
  @AcceptsNdjson()
  async checkout(@Body() body: unknown, @Req() caller: GatedRequest, @Res() reply: ReplyLike): Promise<void> {
    const channel = channelOf(caller);
    const place = (request: CheckoutRequest) => {
      assertOwnCustomer(channel, request.customerId);
      return this.orders.placeOrder(request);
    };
    const batch = batchItems(body);
    if (batch) {
      reply.status(207).send(await placeCheckoutBatch(batch, place, this.limits.maxCheckoutsPerRequest, (count) => admitBatch(caller, count)));
      return;
    }
    reply.status(202).send(await place(parseOrThrow(CheckoutRequest, body)));
  }

  /** An upstream token reads only its own channel's orders: another's is answered as unknown (404), not as forbidden, so ids cannot be probed. */
  @Get('orders/:orderId')
  async getOrder(@Param('orderId') orderId: string, @Req() caller: { stockadeCaller?: Caller }): Promise<OrderView> {
    const id = parseOrThrow(Identifier, orderId, 'orderId');
    const order = await this.orders.getOrder(id);
    if (!order || !ownsCustomer(channelOf(caller), order.customerId)) throw new NotFoundError('order', id);
    return order;
  }

  /** 202: the saga releases the reservation, then the order is CANCELLED. 409 once it completed. */
  @Post('orders/:orderId/cancel')
  @HttpCode(202)
  async cancel(@Param('orderId') orderId: string, @Req() caller: { stockadeCaller?: Caller }): Promise<{ orderId: string }> {
    const id = parseOrThrow(Identifier, orderId, 'orderId');
    const channel = channelOf(caller);
    if (channel !== undefined) {
      const order = await this.orders.getOrder(id);
      if (!order || !ownsCustomer(channel, order.customerId)) throw new NotFoundError('order', id);
    }
    await this.orders.cancelOrder(id);
    return { orderId: id };
  }
}

/** A channel's customers are `<channel>:…`; callers without a channel (operator, API token, open) see every order. */
function ownsCustomer(channel: string | undefined, customerId: string): boolean {
  return channel === undefined || customerId.startsWith(`${channel}:`);
}

function assertOwnCustomer(channel: string | undefined, customerId: string): void {
  if (!ownsCustomer(channel, customerId)) {
    throw new StockadeError('FORBIDDEN', `a ${channel} token places orders for its own customers only (customerId ${channel}:…)`, { issues: [{ field: 'customerId', message: `must start with ${channel}:` }] });
  }
}
