import { context, propagation, ROOT_CONTEXT } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import type { FastifyInstance } from 'fastify';

/**
 * A process that passes traces on without tracing itself (the gateway with no OTLP endpoint):
 * the W3C propagator and an AsyncLocalStorage context manager, no tracer provider, so no span is
 * made or exported. What startTracing registers, less the spans.
 */
export function startTraceForwarding(): { shutdown(): void } {
  const manager = new AsyncLocalStorageContextManager();
  context.setGlobalContextManager(manager.enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  return {
    shutdown() {
      context.disable();
      propagation.disable();
    },
  };
}

/**
 * Each request's handler runs in the caller's trace context (its `traceparent`, `tracestate`), so
 * what the handler sends on (the gateway's calls to the services) carries the caller's trace on.
 * With tracing on, traceHttpRequests does this with a span of its own instead.
 */
export function continueCallerTraces(fastify: FastifyInstance): void {
  fastify.addHook('preHandler', (request, _reply, done) => {
    context.with(propagation.extract(ROOT_CONTEXT, request.headers), done);
  });
}
