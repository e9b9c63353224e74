import { Controller, Get, Inject, Optional, Res, ServiceUnavailableException } from '@nestjs/common';
import { HealthCheckResult, HealthCheckService, HealthIndicatorFunction, HealthIndicatorService } from '@nestjs/terminus';
import { Access } from './access.guard';
import { METRICS_SOURCE, MetricsSource } from './facades';
import { HealthRegistry, runDependencyCheck } from './health-registry';
import type { ReplyLike } from './reply';

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
  async live(@Res() reply: ReplyLike): Promise<void> {
    await this.answer(reply, () => this.health.check([]));
  }

  @Get('health/ready')
  async ready(@Res() reply: ReplyLike): Promise<void> {
    await this.answer(reply, () => this.health.check(this.dependencyIndicators()));
  }

  /** Today's alias for readiness (compose health checks, load balancers configured before /health/ready). */
  @Get('health')
  async readyAlias(@Res() reply: ReplyLike): Promise<void> {
    await this.ready(reply);
  }

  /** Prometheus scrape endpoint (orders by outcome, checkout-to-terminal latency, stock, dead letters). */
  @Get('metrics')
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
