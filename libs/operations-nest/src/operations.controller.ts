import { Body, Get, HttpCode, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import {
  CheckRequest,
  DeadLetterBulkReplayRequest,
  DeadLetterListQuery,
  DeadLetterReplayRequest,
  EventFeedQuery,
  parseOrThrow,
  Sku,
  StockStoryQuery,
  StuckOrdersQuery,
} from '@stockade/contracts';
import { NotFoundError, ValidationError } from '@stockade/kernel';
import {
  CheckReport,
  DeadLetter,
  DeadLetterSummary,
  EventFilter,
  EventStart,
  formatCursor,
  DeadLetterOperations,
  StoryOperations,
  OrderStory,
  parseCursor,
  ReplayResult,
  StockStory,
  StuckReport,
} from '@stockade/operations';
import { z } from 'zod';
import { DEAD_LETTERS_FACADE, OPERATIONS_FACADE } from './operations.tokens';
import { streamLongWork } from './long-work-stream';
import {
  Access,
  Answers,
  ApiController,
  errorResponseFor,
  JsonBody,
  JsonOrEventStream,
  OpenEventStreams,
  OperatorShape,
  QueryFrom,
  Refuses,
  ServerSentEvents,
  StreamingReply,
  StreamingRequest,
  Summary,
  wantsEventStream,
} from '@stockade/api';

/**
 * The operator surface: what happened to an order, a SKU's stock, stuck orders, the invariant
 * check and the live event feed (libs/operations/README.md). Operator token only.
 */
@ApiController('ops')
@Access('operator')
export class OperationsController {
  constructor(
    @Inject(OPERATIONS_FACADE) private readonly operations: StoryOperations,
    @Inject(OpenEventStreams) private readonly streams: OpenEventStreams,
  ) {}

  @Get('orders/:orderId')
  @Summary("An order's story across the services (operator): events in causal order, phase, deadlines, why it ended")
  @Answers(200, 'The story', OperatorShape('OrderStory'))
  @Refuses({ 404: 'Unknown order' })
  async order(@Param('orderId') orderId: string): Promise<OrderStory> {
    const story = await this.operations.orderStory(orderId);
    if (!story) throw new NotFoundError('order', orderId);
    return story;
  }

  @Get('stock/:sku')
  @Summary('A SKU: levels, badge, live reservations with expiry, last movements (operator)')
  @QueryFrom(StockStoryQuery, { movements: 'How many of the last movements (default 20)' })
  @Answers(200, 'The story', OperatorShape('StockStory'))
  @Refuses({ 400: 'Invalid SKU or query, the issue names the parameter', 404: 'Unknown SKU' })
  async stock(@Param('sku') sku: string, @Query() query: unknown): Promise<StockStory> {
    const id = parseOrThrow(Sku, sku, 'sku');
    const story = await this.operations.stockStory(id, parseOrThrow(StockStoryQuery, query));
    if (!story) throw new NotFoundError('sku', id);
    return story;
  }

  @Get('stuck')
  @Summary('Orders not terminal past their deadline or older than the threshold (operator)')
  @QueryFrom(StuckOrdersQuery, { olderThanMs: 'Threshold in milliseconds (default 30000)' })
  @Answers(200, 'The stuck orders', OperatorShape('StuckReport'))
  @Refuses({ 400: 'Invalid query, the issue names the parameter' })
  async stuck(@Query() query: unknown): Promise<StuckReport> {
    return this.operations.stuckOrders(parseOrThrow(StuckOrdersQuery, query));
  }

  /** JSON, or with `Accept: text/event-stream` `progress` events and then the `report`. */
  @Post('check')
  @HttpCode(200)
  @Summary(
    'The invariant check over the event stores, optionally appending repairs (operator)',
    'JSON by default. With `Accept: text/event-stream`: `progress` events (Progress) and then one `report` event (CheckReport), or an `error` event; closing the connection stops the check.',
  )
  @JsonBody('CheckRequest', { required: false })
  @Answers(200, 'The report', JsonOrEventStream('CheckReport', 'progress events, then the report'))
  async check(
    @Body() body: unknown,
    @Req() request: StreamingRequest,
    @Res({ passthrough: true }) reply: StreamingReply,
  ): Promise<CheckReport | undefined> {
    const { repair } = parseOrThrow(CheckRequest, body ?? {});
    if (!wantsEventStream(request)) return this.operations.check({ repair });
    return streamLongWork(reply, this.streams, (signal, onProgress) =>
      this.operations.check({ repair, signal, onProgress }),
    );
  }

  /** A page as JSON, or with `Accept: text/event-stream` the live feed (resumable with Last-Event-ID). */
  @Get('events')
  @Summary(
    'The event feed of both stores (operator): a page as JSON, or live with Accept: text/event-stream',
    'Live: a `ready` event, then `event` events (OperatorEvent) whose `id` is the cursor after them; send it back as Last-Event-ID to resume.',
  )
  @QueryFrom(EventFeedQuery, {
    from: 'A cursor (orders:<n>,inventory:<n>), an ISO-8601 time, or now (default: now live, the beginning as JSON)',
    stream: 'Only this stream',
    sku: 'Only events of this SKU',
    order: 'Only events of this order',
    correlation: 'Only events with this correlation id',
    type: 'Only these event types (comma-separated, without version suffix)',
    limit: 'Page size of the JSON form (default 200)',
  })
  @Answers(200, 'A page, or the live feed', JsonOrEventStream('EventPage', 'the live feed'))
  @Refuses({ 400: 'Invalid query, the issue names the parameter' })
  async events(
    @Query() query: unknown,
    @Req() request: StreamingRequest,
    @Res({ passthrough: true }) reply: StreamingReply,
  ): Promise<unknown> {
    const feed = parseOrThrow(EventFeedQuery, query);
    const filter: EventFilter = {
      ...(feed.stream ? { stream: feed.stream } : {}),
      ...(feed.sku ? { sku: feed.sku } : {}),
      ...(feed.order ? { orderId: feed.order } : {}),
      ...(feed.correlation ? { correlationId: feed.correlation } : {}),
      ...(feed.type ? { types: feed.type.split(',') } : {}),
    };
    if (!wantsEventStream(request)) {
      return this.operations.readEvents({
        from: eventStart(feed.from, { orders: 0, inventory: 0 }),
        filter,
        limit: feed.limit,
      });
    }
    const lastEventId = request.headers['last-event-id'];
    const from = eventStart(typeof lastEventId === 'string' && lastEventId !== '' ? lastEventId : feed.from, 'now');
    const events = new ServerSentEvents(reply, this.streams);
    try {
      await events.send('ready', { from: typeof from === 'string' || 'time' in from ? from : formatCursor(from) });
      for await (const { event, cursor } of this.operations.followEvents({ from, filter, signal: events.closed })) {
        await events.send('event', event, formatCursor(cursor));
      }
    } catch (error) {
      if (!events.closed.aborted) await events.send('error', errorResponseFor(error).body);
    } finally {
      events.end();
    }
    return undefined;
  }
}

/** Dead letters (operator token): listed without consuming them, replayed once each and recorded. Served where the deployment wires DeadLetterOperations. */
@ApiController('ops')
@Access('operator')
export class DeadLettersController {
  constructor(@Inject(DEAD_LETTERS_FACADE) private readonly operations: DeadLetterOperations) {}

  @Get('dlq')
  @Summary('Dead letters with reason, origin and attempts, read without consuming them (operator)')
  @QueryFrom(DeadLetterListQuery, { topic: 'Only this dead-letter topic (`<topic>.dlq`; any other topic is a 400)' })
  @Answers(200, 'The dead letters', OperatorShape('{ deadLetters: DeadLetterSummary[] }'))
  @Refuses({ 400: 'Not a dead-letter topic, the issue names topic' })
  async deadLetters(@Query() query: unknown): Promise<{ deadLetters: readonly DeadLetterSummary[] }> {
    const { topic } = parseOrThrow(DeadLetterListQuery, query);
    return { deadLetters: await this.operations.deadLetters(topic ? { topic } : {}) };
  }

  /** Before `dlq/:id`, so `replay` is not taken for an id. */
  @Post('dlq/replay')
  @HttpCode(200)
  @Summary('Replay every dead letter not replayed yet, each recorded (operator)')
  @JsonBody('DeadLetterBulkReplayRequest')
  @Answers(200, 'Each replay', OperatorShape('{ results: ReplayResult[] }'))
  async replayAll(@Body() body: unknown): Promise<{ results: readonly ReplayResult[] }> {
    const { by, topic } = parseOrThrow(DeadLetterBulkReplayRequest, body);
    return { results: await this.operations.replayDeadLetters({ by, ...(topic ? { topic } : {}) }) };
  }

  @Get('dlq/:id')
  @Summary(
    'One dead letter with its bytes, payment tokens and references redacted (operator); id is <dlq topic>:<partition>:<offset>',
  )
  @Answers(200, 'The dead letter', OperatorShape('DeadLetter'))
  @Refuses({ 404: 'Unknown dead letter' })
  async deadLetter(@Param('id') id: string): Promise<DeadLetter> {
    const letter = await this.operations.deadLetter(id);
    if (!letter) throw new NotFoundError('dead letter', id);
    return letter;
  }

  @Post('dlq/:id/replay')
  @HttpCode(200)
  @Summary('Replay one dead letter to its original topic, once, recorded with who and when (operator)')
  @JsonBody('DeadLetterReplayRequest')
  @Answers(200, 'The replay', OperatorShape('ReplayResult'))
  @Refuses({ 404: 'Unknown dead letter' })
  async replay(@Param('id') id: string, @Body() body: unknown): Promise<ReplayResult> {
    const { by } = parseOrThrow(DeadLetterReplayRequest, body);
    if (!(await this.operations.deadLetter(id))) throw new NotFoundError('dead letter', id);
    return this.operations.replayDeadLetter(id, by);
  }
}

const IsoTime = z.iso.datetime({ offset: true });

/** `from` as the facade takes it: a cursor, a time, or `now`; `fallback` when absent. */
function eventStart(from: string | undefined, fallback: EventStart): EventStart {
  if (from === undefined) return fallback;
  if (from === 'now') return 'now';
  const cursor = parseCursor(from);
  if (cursor) return cursor;
  if (IsoTime.safeParse(from).success) return { time: new Date(from).toISOString() };
  throw new ValidationError([
    { field: 'from', message: 'must be a cursor (orders:<n>,inventory:<n>), an ISO-8601 time, or now' },
  ]);
}
