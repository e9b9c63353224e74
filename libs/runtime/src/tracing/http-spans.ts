import { context, propagation, ROOT_CONTEXT, Span, SpanKind, SpanStatusCode, trace, Tracer } from '@opentelemetry/api';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/** Probes and scrapes are not what an operator follows a checkout through. */
const UNTRACED = /^\/(health|metrics)(\/|\?|$)/;

/**
 * Each HTTP request is a SERVER span, child of the caller's W3C `traceparent` when it sent one.
 * The span starts when the request arrives and becomes the active context just before the route
 * handler (after the body was read, whose stream events would lose it), so what the handler
 * appends and publishes joins the request's trace.
 */
export function traceHttpRequests(fastify: FastifyInstance, tracer: Tracer): void {
  const spans = new WeakMap<FastifyRequest, { span: Span; parent: ReturnType<typeof propagation.extract> }>();
  fastify.addHook('onRequest', (request, _reply, done) => {
    if (!UNTRACED.test(request.url)) {
      const parent = propagation.extract(ROOT_CONTEXT, request.headers);
      const route = request.routeOptions.url ?? request.url.split('?')[0];
      const span = tracer.startSpan(
        `${request.method} ${route}`,
        {
          kind: SpanKind.SERVER,
          attributes: {
            'http.request.method': request.method,
            'http.route': route,
            'url.path': request.url.split('?')[0],
          },
        },
        parent,
      );
      spans.set(request, { span, parent });
    }
    done();
  });
  fastify.addHook('preHandler', (request, _reply, done) => {
    const traced = spans.get(request);
    if (traced) context.with(trace.setSpan(traced.parent, traced.span), done);
    else done();
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    const traced = spans.get(request);
    if (traced) {
      traced.span.setAttribute('http.response.status_code', reply.statusCode);
      if (reply.statusCode >= 500) traced.span.setStatus({ code: SpanStatusCode.ERROR });
      traced.span.end();
      spans.delete(request);
    }
    done();
  });
}
