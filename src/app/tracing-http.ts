/**
 * A server span per HTTP request when tracing is on (src/kernel/tracing.ts): started when the
 * request arrives, made the active span for the handler (from `preHandler`, once the body is
 * parsed, so the handler's awaits stay inside it) and ended with the response. Named by method and
 * route pattern, never the raw URL (which may hold ids and tokens).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { SpanKind, startSpan, withSpan, type Span } from '../kernel/tracing.js';

export function traceHttp(server: FastifyInstance): void {
  const spans = new WeakMap<FastifyRequest, Span>();
  server.addHook('onRequest', (req, _reply, done) => {
    const route = req.routeOptions.url ?? 'unmatched';
    const span = startSpan(
      `${req.method} ${route}`,
      { 'http.request.method': req.method, 'http.route': route },
      SpanKind.SERVER,
    );
    spans.set(req, span);
    done();
  });
  server.addHook('preHandler', (req, _reply, done) => {
    const span = spans.get(req);
    if (span) withSpan(span, done);
    else done();
  });
  server.addHook('onResponse', (req, reply, done) => {
    const span = spans.get(req);
    span?.setAttribute('http.response.status_code', reply.statusCode);
    span?.end();
    spans.delete(req);
    done();
  });
}
