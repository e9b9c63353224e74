import { Controller, Get, Inject, Optional, Res, ServiceUnavailableException } from '@nestjs/common';
import {
  HealthCheckResult,
  HealthCheckService,
  HealthIndicatorFunction,
  HealthIndicatorService,
} from '@nestjs/terminus';
import { Access } from './access.guard';
import { METRICS_SOURCE, MetricsSource } from './facades';
import { HealthRegistry, runDependencyCheck } from './health-registry';
import type { ReplyLike } from './reply';
import { Answers, Summary } from './openapi-decorators';

const PROMETHEUS_TEXT = {
  content: { 'text/plain': { schema: { type: 'string', description: 'Prometheus text exposition format' } } },
};

/**
 * Liveness and readiness, through @nestjs/terminus. Live: the process answers (a restart would
 * help nothing else), so it never depends on a broker or a database and does not flap with them.
 * Ready: every registered dependency answers; 503 with the failing ones named otherwise, so a
 * load balancer stops sending work while, say, the broker is away. Live is open to every probe
 * and never rate limited; readiness and /metrics tell what the system holds (order counts,
 * consumer groups), so once the deployment is closed they need the operator's or the metrics token.
 */
@Controller()
@Access('monitoring')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly registry: HealthRegistry,
    @Optional() @Inject(METRICS_SOURCE) private readonly metricsSource?: MetricsSource,
  ) {}

  @Get('health/live')
  @Access('probe')
  @Summary('Liveness: the process answers (checks no dependency); open to anyone, never rate limited')
  @Answers(200, 'Alive')
  async live(@Res() reply: ReplyLike): Promise<void> {
    await this.answer(reply, () => this.health.check([]));
  }

  @Get('health/ready')
  @Summary(
    'Readiness: every dependency answers (event store, bus, consumers, Redis where used); the operator or metrics token once the deployment is closed',
  )
  @Answers(200, 'Ready; each check under `info`')
  @Answers(503, 'Not ready; each failing check under `error` with its message')
  async ready(@Res() reply: ReplyLike): Promise<void> {
    await this.answer(reply, () => this.health.check(this.dependencyIndicators()));
  }

  /** Today's alias for readiness (compose health checks, load balancers configured before /health/ready). */
  @Get('health')
  @Summary('Readiness (alias of /health/ready)')
  @Answers(200, 'Ready; each check under `info`')
  @Answers(503, 'Not ready; each failing check under `error` with its message')
  async readyAlias(@Res() reply: ReplyLike): Promise<void> {
    await this.ready(reply);
  }

  /** Prometheus scrape endpoint (orders by outcome, checkout-to-terminal latency, stock, dead letters). */
  @Get('metrics')
  @Summary(
    'Prometheus metrics; the operator or metrics token once the deployment is closed (a token configured, or listening beyond loopback)',
  )
  @Answers(200, 'Text exposition format', PROMETHEUS_TEXT)
  @Answers(404, 'Metrics are not enabled in this app')
  async metrics(@Res() reply: ReplyLike): Promise<void> {
    if (!this.metricsSource) {
      reply.status(404).send({ error: 'NOT_FOUND', message: 'metrics are not enabled' });
      return;
    }
    reply.type(this.metricsSource.contentType).send(await this.metricsSource.render());
  }

  private dependencyIndicators(): HealthIndicatorFunction[] {
    return this.registry.entries().map(([name, check]) => async () => {
      const session = this.indicators.check(name);
      try {
        return session.up({ ...(await runDependencyCheck(check)) });
      } catch (error) {
        return session.down({ message: error instanceof Error ? error.message : String(error) });
      }
    });
  }

  /** Terminus throws 503 with the result as its body; the body is the answer either way. */
  private async answer(reply: ReplyLike, check: () => Promise<HealthCheckResult>): Promise<void> {
    try {
      reply.status(200).send(await check());
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      reply.status(503).send(error.getResponse());
    }
  }
}
