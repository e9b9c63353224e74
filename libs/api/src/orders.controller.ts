import { Body, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiController } from './access.guard';
import { CheckoutRequest, Identifier, OrderView, parseOrThrow } from '@stockade/contracts';
import { NotFoundError } from '@stockade/kernel';
import { ORDERS_FACADE, OrdersFacade } from './facades';

@ApiController()
export class OrdersController {
  constructor(@Inject(ORDERS_FACADE) private readonly orders: OrdersFacade) {}

  /** 202: the order exists and its saga runs; follow it with GET /orders/{orderId}. Repeats are harmless. */
  @Post('checkouts')
  @HttpCode(202)
  async checkout(@Body() body: unknown): Promise<{ orderId: string }> {
    const request = parseOrThrow(CheckoutRequest, body);
    return this.orders.placeOrder(request);
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
