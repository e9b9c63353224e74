import { context, propagation, trace, Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, SimpleSpanProcessor, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

/** The instrumentation scope every Stockade span is created under. */
export const TRACER_NAME = 'stockade';

export interface TracingOptions {
  /** `service.name` on every span: `order-service`, `stockade` (embedded), … */
  readonly serviceName: string;
  /** OTLP/HTTP base URL (`OTEL_EXPORTER_OTLP_ENDPOINT`); spans go to `<endpoint>/v1/traces`. */
  readonly otlpEndpoint?: string | undefined;
  /** Tests: spans go here, one by one, instead of over OTLP. */
  readonly exporter?: SpanExporter | undefined;
}

export interface Tracing {
  readonly tracer: Tracer;
  /** Exports what is buffered, then unregisters, so a later start in the same process works. */
  shutdown(): Promise<void>;
}

/**
 * Turns tracing on for this process (or worker thread) when an OTLP endpoint is configured, and
 * only then: with tracing off no span is created and the hot path pays nothing. Registers the
 * W3C trace-context propagator and an AsyncLocalStorage context manager, so a span started for a
 * request or a message is the parent of what its handler does.
 */
export function startTracing(options: TracingOptions): Tracing | undefined {
  const exporter =
    options.exporter ??
    (options.otlpEndpoint
      ? new OTLPTraceExporter({ url: `${options.otlpEndpoint.replace(/\/+$/, '')}/v1/traces` })
      : undefined);
  if (!exporter) return undefined;
  // Batched over the network; one by one for a test exporter, so a test sees spans as they end.
  const processor = options.exporter ? new SimpleSpanProcessor(exporter) : new BatchSpanProcessor(exporter);
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.serviceName }),
    spanProcessors: [processor],
  });
  provider.register();
  return {
    tracer: provider.getTracer(TRACER_NAME),
    async shutdown() {
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}
