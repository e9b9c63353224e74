import { Get, Inject, Query, Req, Res } from '@nestjs/common';
import { LiveStockQuery, OperatorLiveStockQuery, parseOrThrow } from '@stockade/contracts';
import {
  Access,
  ApiController,
  Caller,
  callerKeyOf,
  LIVE_STOCK,
  LiveStockLevels,
  OpenEventStreams,
  ServerSentEvents,
  StreamingReply,
  StreamOwner,
} from '@stockade/api';
import { Answers, EventStream, QueryFrom, Refuses, Summary } from '@stockade/api';

/**
 * Live stock levels as Server-Sent Events: `event: level` with the SKU's levels and badge, the
 * current ones first, then each change (coalesced to the latest per SKU for a slow client).
 */
@ApiController()
export class LiveStockController {
  constructor(
    @Inject(LIVE_STOCK) private readonly live: LiveStockLevels,
    @Inject(OpenEventStreams) private readonly streams: OpenEventStreams,
  ) {}

  /** Shoppers (open, or the API token like the other shopper routes): up to 100 SKUs. */
  @Get('inventory/stream')
  @Summary(
    'Live stock levels of up to 100 SKUs as Server-Sent Events',
    '`level` events ({ sku, onHand, reserved, available, status, name?, unitPrice?, at? }; name and price once the SKU is listed): the current level of each SKU first, then every change. A slow client gets the latest level per SKU (older ones are coalesced away), never a growing backlog.',
  )
  @QueryFrom(LiveStockQuery, { skus: 'Comma-separated SKUs (1 to 100), e.g. DESK-LAMP,DESK-CHAIR' })
  @Answers(200, 'text/event-stream of `level` events', EventStream('`level` events'))
  @Refuses({
    400: 'Missing or invalid skus, the issue names skus',
    429: 'This caller holds STOCKADE_MAX_LIVE_STREAMS_PER_CALLER streams already, or is over its rate limit (Retry-After)',
    503: "Too many live streams open (all but the operators' reserve), STOCKADE_MAX_LIVE_STREAMS; retry after Retry-After",
  })
  async shopper(
    @Query() query: unknown,
    @Req() request: StreamCaller,
    @Res({ passthrough: true }) reply: StreamingReply,
  ): Promise<undefined> {
    const { skus } = parseOrThrow(LiveStockQuery, query);
    return this.stream(skus, ownerOf(request), reply);
  }

  /** Operators (the dashboard): every SKU, or `?skus=`. */
  @Get('ops/stock-stream')
  @Access('operator')
  @Summary('Live stock levels of every SKU (operator) as Server-Sent Events, like /inventory/stream')
  @QueryFrom(OperatorLiveStockQuery, { skus: 'Only these SKUs (comma-separated)' })
  @Answers(200, 'text/event-stream of `level` events', EventStream('`level` events'))
  @Refuses({ 400: 'Invalid skus, the issue names skus', 503: 'Too many live streams open, the reserve included' })
  async operator(
    @Query() query: unknown,
    @Req() request: StreamCaller,
    @Res({ passthrough: true }) reply: StreamingReply,
  ): Promise<undefined> {
    const { skus } = parseOrThrow(OperatorLiveStockQuery, query);
    return this.stream(skus, ownerOf(request), reply);
  }

  private async stream(
    skus: readonly string[] | undefined,
    owner: StreamOwner,
    reply: StreamingReply,
  ): Promise<undefined> {
    this.live.assertRoom(owner);
    const events = new ServerSentEvents(reply, this.streams);
    try {
      await this.live.open(skus, { write: (level) => events.send('level', level), closed: events.closed }, owner);
    } catch (error) {
      await events.send('error', { message: error instanceof Error ? error.message : String(error) });
      events.end();
      return undefined;
    }
    // The stream lives until the client goes; the feed writes to it meanwhile.
    await new Promise<void>((resolve) => events.closed.addEventListener('abort', () => resolve(), { once: true }));
    events.end();
    return undefined;
  }
}

type StreamCaller = { stockadeCaller?: Caller; ip?: string };

/** Streams are capped per caller (its token's role or channel, or its address) and operators have a reserve. */
const ownerOf = (request: StreamCaller): StreamOwner => ({
  key: callerKeyOf(request),
  operator: request.stockadeCaller?.role === 'operator',
});
