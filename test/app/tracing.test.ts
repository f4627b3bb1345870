/**
 * OpenTelemetry traces (issue 23.3) from a real Charla (FerretDB, Redis) with
 * OTEL_EXPORTER_OTLP_ENDPOINT set, exported by the official SDK's OTLP/HTTP exporter to a receiver
 * on 127.0.0.1 that keeps what it is sent (OTLP/HTTP with JSON bodies, the exporter's encoding).
 * One web chat message makes one trace: the POST → ingest → inbound job (its context carried in
 * the BullMQ job's data) → turn → the engine's stages and the delivery → the send, each span
 * the child of the one before; and the log lines written inside it carry its trace id.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Message } from '../../src/kernel/db/models/message.js';
import { createLogger } from '../../src/kernel/logger.js';
import { webchatClient } from '../channels/webchat/client.js';
import { eventually, startTestApp, type TestApp } from '../support/app.js';

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
}

/** A minimal OTLP/HTTP trace receiver: POST /v1/traces with a JSON ExportTraceServiceRequest. */
async function startOtlpReceiver() {
  const spans: OtlpSpan[] = [];
  const services = new Set<string>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/traces') return void res.writeHead(404).end();
      if (!String(req.headers['content-type']).startsWith('application/json')) {
        return void res.writeHead(415).end();
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      for (const rs of body.resourceSpans ?? []) {
        for (const a of rs.resource?.attributes ?? []) {
          if (a.key === 'service.name') services.add(a.value.stringValue);
        }
        for (const ss of rs.scopeSpans ?? []) spans.push(...(ss.spans ?? []));
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    spans,
    services,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('traces over OTLP', () => {
  let app: TestApp;
  let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
  const logLines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) logLines.push(JSON.parse(line));
      done();
    },
  });

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    app = await startTestApp(
      { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_SERVICE_NAME: 'charla-test' },
      { logger: createLogger('debug', sink) },
    );
  });
  afterAll(async () => {
    await app?.stop();
    await receiver?.close();
  });

  it('follows a web chat message from the POST to the send in one trace', async () => {
    const web = webchatClient(app.url);
    const s = await web.createSession('es');
    const posted = await web.post(s, { text: 'hola' });
    expect(posted.status).toBe(202);
    const { messageId } = posted.body as { messageId: string };
    await eventually(async () =>
      Message.findOne({ replyTo: messageId, direction: 'out', status: 'sent' }).lean(),
    );

    const post = await eventually(
      async () =>
        receiver.spans.find((sp) => sp.name === 'POST /api/webchat/sessions/:id/messages'),
      15_000,
    );
    const inTrace = () => receiver.spans.filter((sp) => sp.traceId === post.traceId);
    // The batch exporter sends every second: wait for the last span of the chain.
    await eventually(async () => inTrace().some((sp) => sp.name === 'send'), 15_000);
    const spans = inTrace();
    const one = (name: string) => {
      const found = spans.filter((sp) => sp.name === name);
      expect(found, name).toHaveLength(1);
      return found[0]!;
    };
    const ingest = one('ingest');
    const job = one('inbound job');
    const turn = one('turn');
    const delivery = one('delivery');
    const send = one('send');
    expect(post.parentSpanId ?? '').toBe('');
    expect(ingest.parentSpanId).toBe(post.spanId);
    expect(job.parentSpanId).toBe(ingest.spanId);
    expect(turn.parentSpanId).toBe(job.spanId);
    expect(delivery.parentSpanId).toBe(turn.spanId);
    expect(send.parentSpanId).toBe(delivery.spanId);
    // The engine's stages, each a child of the turn.
    const stages = spans.filter((sp) => sp.name.startsWith('stage '));
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of stages) expect(stage.parentSpanId).toBe(turn.spanId);
    expect([post.kind, job.kind, send.kind]).toEqual([2, 5, 3]); // server, consumer, client
    expect(receiver.services).toContain('charla-test');

    // A log line written inside the trace carries its id (and the span's).
    const traced = logLines.filter((l) => l.trace_id === post.traceId);
    expect(traced.length).toBeGreaterThan(0);
    const spanIds = new Set(spans.map((sp) => sp.spanId));
    for (const line of traced) expect(spanIds).toContain(line.span_id);
  });
});
