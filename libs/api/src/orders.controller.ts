import { Body, Get, HttpCode, Inject, Param, Post, Res } from '@nestjs/common';
import { ApiController } from './access.guard';
import { CheckoutRequest, Identifier, OrderView, parseOrThrow } from '@stockade/contracts';
import { NotFoundError } from '@stockade/kernel';
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
   * own in `results`, with the same idempotency.
   */
  @Post('checkouts')
  async checkout(@Body() body: unknown, @Res() reply: ReplyLike): Promise<void> {
    const batch = batchItems(body);
    if (batch) {
      reply.status(207).send(await placeCheckoutBatch(batch, (request) => this.orders.placeOrder(request), this.limits.maxCheckoutsPerRequest));
      return;
    }
    const request = parseOrThrow(CheckoutRequest, body);
    reply.status(202).send(await this.orders.placeOrder(request));
  }

  @Get('orders/:orderId')
  async getOrder(@Param('orderId') orderId: string): Promise<OrderView> {
    const id = parseOrThrow(Identifier, orderId, 'orderId');
    const order = await this.orders.getOrder(id);
    if (!order) throw new NotFoundError('order', id);
    return order;
  }

  /** 202: the saga releases the reservation, then the order is CANCELLED. 409 once it completed. */
  @Post('orders/:orderId/cancel')
  @HttpCode(202)
  async cancel(@Param('orderId') orderId: string): Promise<{ orderId: string }> {
    const id = parseOrThrow(Identifier, orderId, 'orderId');
    await this.orders.cancelOrder(id);
    return { orderId: id };
  }
}
