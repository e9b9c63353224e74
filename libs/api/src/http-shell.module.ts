import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { AccessGate, REFUSAL_COUNTER, RefusalCounter } from './access-gate';
import { DocsController } from './docs.controller';
import { ErrorResponseFilter } from './error-responses';
import { ACCESS_POLICY, AccessPolicy, HTTP_LIMITS, HttpLimits, METRICS_SOURCE, MetricsSource } from './facades';
import { HealthController } from './health.controller';
import { PagesController } from './pages.controller';
import { HealthRegistry } from './health-registry';
import { OpenEventStreams } from './server-sent-events';
import { ServedOpenApiDocument } from './served-openapi-document';

export interface HttpShellOptions {
  readonly access: AccessPolicy;
  readonly limits?: Partial<HttpLimits>;
  readonly metrics?: MetricsSource;
  readonly version?: string;
  /** Serve /dashboard and /shop (the embedded runner and the gateway; not a service run alone). */
  readonly pages?: boolean;
  /** Counts each request the access gate refuses, by reason (a metric). */
  readonly countRefusal?: RefusalCounter;
}

/**
 * What every Stockade HTTP app has whatever routes it serves: the access policy and its gate
 * (authentication, roles, rate limits, body types, before a body is read), the one error filter,
 * /health/live and /health/ready (terminus), /metrics and /docs (the document of the app's own
 * routes, once the app calls serveOwnOpenApiDocument). Global, so each service module
 * registers its readiness checks with the HealthRegistry without importing this module.
 */
@Module({})
export class HttpShellModule {
  static forRoot(options: HttpShellOptions): DynamicModule {
    return {
      module: HttpShellModule,
      global: true,
      // A failing readiness check is an answer (503 naming it), not an error to log on every probe.
      imports: [TerminusModule.forRoot({ logger: false })],
      controllers: [HealthController, DocsController, ...(options.pages ? [PagesController] : [])],
      providers: [
        HealthRegistry,
        OpenEventStreams,
        { provide: ACCESS_POLICY, useValue: options.access },
        ...(options.countRefusal ? [{ provide: REFUSAL_COUNTER, useValue: options.countRefusal }] : []),
        AccessGate,
        { provide: HTTP_LIMITS, useValue: { maxCheckoutsPerRequest: 1_000, ...options.limits } satisfies HttpLimits },
        ...(options.metrics ? [{ provide: METRICS_SOURCE, useValue: options.metrics }] : []),
        { provide: ServedOpenApiDocument, useValue: new ServedOpenApiDocument(options.version ?? '0.1.0') },
        { provide: APP_FILTER, useClass: ErrorResponseFilter },
      ],
      exports: [
        HealthRegistry,
        OpenEventStreams,
        AccessGate,
        ACCESS_POLICY,
        HTTP_LIMITS,
        ...(options.metrics ? [METRICS_SOURCE] : []),
      ],
    };
  }
}
