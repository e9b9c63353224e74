import { Get, HttpCode, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ValidationError } from '@stockade/kernel';
import type { RebuildableSummary, RebuildOperations, RebuildReport } from '@stockade/operations';
import { REBUILD_FACADE } from './operations.tokens';
import { streamLongWork } from './long-work-stream';
import {
  Access,
  Answers,
  ApiController,
  JsonOrEventStream,
  OpenEventStreams,
  OperatorShape,
  Refuses,
  StreamingReply,
  StreamingRequest,
  Summary,
  wantsEventStream,
} from '@stockade/api';

/** `stockade rebuild`: republish a state projection from the event store while the system serves. Operator token only. */
@ApiController('ops/rebuild')
@Access('operator')
export class RebuildController {
  constructor(
    @Inject(REBUILD_FACADE) private readonly rebuilds: RebuildOperations,
    @Inject(OpenEventStreams) private readonly streams: OpenEventStreams,
  ) {}

  @Get()
  @Summary('The read models an operator can rebuild (operator)')
  @Answers(200, 'The rebuildable projections', OperatorShape('{ projections: RebuildableSummary[] }'))
  list(): { projections: readonly RebuildableSummary[] } {
    return { projections: this.rebuilds.rebuildable() };
  }

  /** JSON, or with `Accept: text/event-stream` `progress` events and then the `report`. */
  @Post(':projection')
  @HttpCode(200)
  @Summary(
    'Rebuild a read model from the event store while the system serves (operator): stock-levels republishes the latest level of every SKU to inventory.stock-levels',
    'JSON by default. With `Accept: text/event-stream`: `progress` events (Progress, phases `reading` and `publishing`) and then one `report` event (RebuildReport), or an `error` event; closing the connection stops the rebuild. Nothing is appended to the store. No body, but content-type: application/json.',
  )
  @Answers(200, 'The report', JsonOrEventStream('RebuildReport', 'progress events, then the report'))
  @Refuses({ 400: 'Unknown projection; the message lists the known ones' })
  async rebuild(
    @Param('projection') projection: string,
    @Req() request: StreamingRequest,
    @Res({ passthrough: true }) reply: StreamingReply,
  ): Promise<RebuildReport | undefined> {
    // Refused before a stream starts, so a mistyped name is a 400, not an error event after a 200.
    const known = this.rebuilds.rebuildable().map((entry) => entry.name);
    if (!known.includes(projection))
      throw new ValidationError([
        { field: 'projection', message: `unknown projection "${projection}"; one of: ${known.join(', ')}` },
      ]);
    if (!wantsEventStream(request)) return this.rebuilds.rebuild(projection);
    return streamLongWork(reply, this.streams, (signal, onProgress) =>
      this.rebuilds.rebuild(projection, { signal, onProgress }),
    );
  }
}
