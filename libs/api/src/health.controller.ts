import { Controller, Get, Inject, Res } from '@nestjs/common';
import { Access } from './access.guard';
import { HTTP_API_DEPENDENCIES, HttpApiDependencies } from './facades';

interface ReplyLike {
  status(code: number): ReplyLike;
  type(contentType: string): ReplyLike;
  send(body: unknown): unknown;
}

@Controller()
@Access('public')
export class HealthController {
  constructor(@Inject(HTTP_API_DEPENDENCIES) private readonly deps: HttpApiDependencies) {}

  /** 200 when ready (stores answer, consumers run), 503 otherwise: for load balancers and compose health checks. */
  @Get('health')
  async health(@Res() reply: ReplyLike): Promise<void> {
    const { ready, details } = await this.deps.readiness.check();
    reply.status(ready ? 200 : 503).send({ status: ready ? 'ok' : 'unavailable', ...details });
  }

  /** Prometheus scrape endpoint (orders by outcome, checkout-to-terminal latency, stock, dead letters). */
  @Get('metrics')
  async metrics(@Res() reply: ReplyLike): Promise<void> {
    const source = this.deps.metrics;
    if (!source) {
      reply.status(404).send({ error: 'NOT_FOUND', message: 'metrics are not enabled' });
      return;
    }
    reply.type(source.contentType).send(await source.render());
  }
}
