/**
 * OpenTelemetry traces (issue 23.3), with the official SDK: off unless OTEL_EXPORTER_OTLP_ENDPOINT
 * is set, then spans go over OTLP/HTTP (JSON) to `<endpoint>/v1/traces` in batches. Off, nothing is
 * registered: the API's tracer hands out non-recording spans and no context is kept, so a span
 * costs a function call.
 *
 * A trace follows a customer message: the HTTP request that brought it (src/app/tracing-http.ts),
 * ingest, the inbound job (its context travels inside the job data as W3C `traceparent`, see
 * `carrierOf`/`contextOf`), the turn and its engine stages, the delivery of each reply and, for a
 * reply retried later, its outbound job. Log lines written inside a span carry its `trace_id` and
 * `span_id` (`traceFields`, the logger's mixin).
 */
import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
} from '@opentelemetry/api';
import type { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

export { SpanKind };
export type { Context, Span };

/** W3C trace context as carried inside a job's data. */
export type TraceCarrier = Record<string, string>;

export interface TracingOptions {
  /** OTEL_EXPORTER_OTLP_ENDPOINT: the collector's base URL (traces go to `/v1/traces`). */
  endpoint?: string;
  /** OTEL_SERVICE_NAME (default `charla`). */
  serviceName: string;
  /** ROLE, as the `charla.role` resource attribute. */
  role?: string;
}

export interface Tracing {
  /** Sends what is buffered and stops (the process is ending). */
  shutdown(): Promise<void>;
}

const tracer = () => trace.getTracer('charla');

/** One provider per process (the API's globals are per process), shared by every app in it. */
let running: { provider: NodeTracerProvider; users: number } | undefined;

/**
 * Registers the SDK when an endpoint is configured; undefined (tracing off) otherwise. The SDK and
 * the exporter are loaded only then: without tracing they are not even imported.
 */
export async function startTracing(opts: TracingOptions): Promise<Tracing | undefined> {
  if (!opts.endpoint) return undefined;
  if (!running) {
    const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
    const { resourceFromAttributes } = await import('@opentelemetry/resources');
    const { BatchSpanProcessor, NodeTracerProvider } =
      await import('@opentelemetry/sdk-trace-node');
    const exporter = new OTLPTraceExporter({
      url: `${opts.endpoint.replace(/\/$/, '')}/v1/traces`,
    });
    const provider = new NodeTracerProvider({
      resource: resourceFromAttributes({
        'service.name': opts.serviceName,
        ...(opts.role ? { 'charla.role': opts.role } : {}),
      }),
      spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: 1000 })],
    });
    provider.register();
    running = { provider, users: 0 };
  }
  const mine = running;
  mine.users++;
  let stopped = false;
  return {
    async shutdown() {
      if (stopped) return;
      stopped = true;
      await mine.provider.forceFlush();
      if (--mine.users > 0) return;
      await mine.provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
      if (running === mine) running = undefined;
    },
  };
}

/**
 * Runs `fn` in a new span (a child of the active one, or of `parent`), ends it when `fn` settles
 * and marks it as an error when `fn` throws.
 */
export function inSpan<T>(
  name: string,
  opts: { attributes?: Attributes; kind?: SpanKind; parent?: Context },
  fn: (span: Span) => Promise<T>,
): Promise<T> {
  const parent = opts.parent ?? context.active();
  return tracer().startActiveSpan(
    name,
    { attributes: opts.attributes, kind: opts.kind },
    parent,
    async (span) => {
      try {
        return await fn(span);
      } catch (err) {
        span.recordException(err as Error);
        span.setStatus({ code: SpanStatusCode.ERROR });
        throw err;
      } finally {
        span.end();
      }
    },
  );
}

/** Starts a span the caller ends (an HTTP request: started and ended by different hooks). */
export function startSpan(name: string, attributes: Attributes, kind: SpanKind): Span {
  return tracer().startSpan(name, { attributes, kind });
}

/** The active context (to come back to it: `withContext`). */
export const activeContext = (): Context => context.active();

/** Runs `fn` in `ctx`. */
export const withContext = <T>(ctx: Context, fn: () => T): T => context.with(ctx, fn);

/** Runs `fn` with `span` as the active span. */
export function withSpan<T>(span: Span, fn: () => T): T {
  return context.with(trace.setSpan(context.active(), span), fn);
}

/** The active context as W3C headers, to put in a job's data; undefined when tracing is off. */
export function carrierOf(): TraceCarrier | undefined {
  const carrier: TraceCarrier = {};
  propagation.inject(context.active(), carrier);
  return Object.keys(carrier).length > 0 ? carrier : undefined;
}

/** The context a job's data carried (the root context when it carried none). */
export function contextOf(carrier: TraceCarrier | undefined): Context {
  return carrier ? propagation.extract(ROOT_CONTEXT, carrier) : ROOT_CONTEXT;
}

/** The active span's ids for a log line (pino mixin); nothing outside a recorded span. */
export function traceFields(): { trace_id?: string; span_id?: string } {
  const span = trace.getActiveSpan();
  if (!span) return {};
  const { traceId, spanId } = span.spanContext();
  return trace.isSpanContextValid(span.spanContext()) ? { trace_id: traceId, span_id: spanId } : {};
}
