import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelAdapter } from '../../../src/kernel/contracts/channel-adapter.js';
import { ChannelSendError } from '../../../src/kernel/contracts/channel-adapter.js';
import type { OutboundMessage } from '../../../src/kernel/contracts/messages.js';
import { Types } from 'mongoose';
import { Message } from '../../../src/kernel/db/models/message.js';
import { storeInbound } from '../../../src/kernel/db/messages.js';
import { eventually, startTestApp, type TestApp } from '../../support/app.js';

/** A recording adapter under the 'slack' id, driven directly through the InboundSink. */
function recordingAdapter(behaviour: (m: OutboundMessage, n: number) => void) {
  const sent: OutboundMessage[] = [];
  let calls = 0;
  const adapter: ChannelAdapter = {
    id: 'slack',
    capabilities: { buttons: false, media: false, typing: false, maxTextLength: 4000 },
    mount: () => undefined,
    async send(m) {
      calls += 1;
      behaviour(m, calls);
      sent.push(m);
      return { platformMessageId: `p-${calls}` };
    },
  };
  return { adapter, sent, calls: () => calls };
}

describe('ingest → inbound queue → engine → outbound queue → adapter', () => {
  let app: TestApp;
  let mode: 'ok' | 'rate-limited-once' | 'permanent' = 'ok';
  const rec = recordingAdapter((_m, n) => {
    if (mode === 'rate-limited-once' && n % 2 === 1) {
      throw new ChannelSendError('429', { retryable: true, retryAfterMs: 20 });
    }
    if (mode === 'permanent') throw new ChannelSendError('403 blocked', { retryable: false });
  });

  beforeAll(async () => {
    app = await startTestApp({}, { extraAdapters: [rec.adapter] });
  });
  afterAll(async () => app?.stop());

  const inbound = (id: string, text: string) =>
    app.charla.services.ingest.ingest({
      channel: 'slack',
      platformMessageId: id,
      platformUserId: 'U1',
      platformConversationId: 'D1',
      text,
    });

  it('stores once and answers once when the platform redelivers', async () => {
    const first = await inbound('m-1', 'hello');
    const again = await inbound('m-1', 'hello');
    expect(again.duplicate).toBe(true);
    expect(again.messageId).toBe(first.messageId);
    await eventually(async () => rec.sent.length >= 1);
    await new Promise((r) => setTimeout(r, 300));
    expect(
      await Message.countDocuments({ direction: 'in', conversationId: first.conversationId }),
    ).toBe(1);
    expect(rec.sent).toHaveLength(1);
    const stored = await Message.findOne({ direction: 'in', _id: first.messageId }).lean();
    expect(stored?.status).toBe('processed');
  });

  it('delivers replies in the order they were written, even when a send is retried', async () => {
    rec.sent.length = 0;
    // The first reply of the burst is rate-limited once: later turns must wait behind it.
    mode = 'rate-limited-once';
    let conversationId = '';
    const since = new Date();
    for (let i = 0; i < 5; i++) ({ conversationId } = await inbound(`order-${i}`, `hola ${i}`));
    const written = await eventually(async () => {
      const out = await Message.find({
        conversationId,
        direction: 'out',
        createdAt: { $gte: since },
      })
        .sort({ createdAt: 1, _id: 1 })
        .lean();
      return out.length >= 5 && out.every((m) => m.status === 'sent') ? out : false;
    });
    mode = 'ok';
    const order = rec.sent.filter((m) => m.conversationId === conversationId).map((m) => m.id);
    expect(order).toEqual(written.map((m) => m._id.toHexString()));
    expect(Math.max(...written.map((m) => m.attempts ?? 0))).toBeGreaterThanOrEqual(2);
  });

  it('retries a rate-limited send and marks a permanent failure', async () => {
    rec.sent.length = 0;
    mode = 'rate-limited-once';
    await inbound('rl-1', 'again');
    await eventually(async () => rec.sent.length >= 1);
    const ok = await Message.findOne({ direction: 'out' }).sort({ createdAt: -1 }).lean();
    expect(ok?.status).toBe('sent');

    mode = 'permanent';
    const { conversationId } = await inbound('perm-1', 'fails');
    const failed = await eventually(async () =>
      Message.findOne({ conversationId, direction: 'out', status: 'failed' }).lean(),
    );
    expect(failed.error).toMatch(/blocked/);
  });

  it('counts deliveries in /metrics, behind the admin token', async () => {
    const denied = await fetch(`${app.url}/metrics`);
    expect(denied.status).toBe(401);
    const res = await fetch(`${app.url}/metrics`, { headers: app.admin });
    expect(res.status).toBe(200);
    const body = await res.text();
    expect(body).toMatch(/charla_inbound_messages_total\{channel="slack",duplicate="true"\} 1/);
    expect(body).toMatch(
      /charla_outbound_messages_total\{channel="slack",outcome="failed"\} [1-9]/,
    );
  });

  it('observes turns, replies, queue waits, NLU outcomes and HTTP requests in /metrics', async () => {
    mode = 'ok';
    const { messageId } = await app.charla.services.ingest.ingest({
      channel: 'slack',
      platformMessageId: 'signals-0',
      platformUserId: 'U-signals',
      platformConversationId: 'D-signals',
      text: 'hola',
    });
    await eventually(async () =>
      Message.findOne({ replyTo: new Types.ObjectId(messageId), status: 'sent' }).lean(),
    );
    await fetch(`${app.url}/metrics`); // one refused request, counted as a 4xx of its route
    const body = await (await fetch(`${app.url}/metrics`, { headers: app.admin })).text();
    const count = (series: string) =>
      Number(body.match(new RegExp(`^${series} (\\d+)$`, 'm'))?.[1] ?? 0);
    expect(
      count('charla_turn_duration_seconds_count\\{channel="slack",outcome="understood"\\}'),
    ).toBeGreaterThanOrEqual(1);
    expect(
      count('charla_nlu_outcomes_total\\{language="es",intent="greeting",outcome="understood"\\}'),
    ).toBeGreaterThanOrEqual(1);
    expect(
      count('charla_message_to_reply_seconds_count\\{channel="slack"\\}'),
    ).toBeGreaterThanOrEqual(1);
    expect(count('charla_queue_wait_seconds_count\\{queue="inbound"\\}')).toBeGreaterThanOrEqual(1);
    expect(
      count(
        'charla_http_request_duration_seconds_count\\{method="GET",route="/metrics",status="4xx"\\}',
      ),
    ).toBeGreaterThanOrEqual(2);
    // Labels carry route patterns, never raw URLs with ids.
    expect(body).not.toMatch(/route="[^"]*[0-9a-f]{24}/);
  });

  it('still handles a queued message whose pending-index entry was lost', async () => {
    mode = 'ok';
    const first = await inbound('lost-0', 'hola');
    await eventually(
      async () => (await Message.findById(first.messageId).lean())?.status === 'processed',
    );
    // A message stored and queued while the Redis index lost its entry (e.g. a Redis restart).
    const { message } = await storeInbound({
      conversationId: new Types.ObjectId(first.conversationId),
      contactId: new Types.ObjectId(first.contactId),
      channel: 'slack',
      platformMessageId: 'lost-1',
      text: 'gracias',
    });
    await app.charla.services.queues.inbound.add(
      'message',
      { conversationId: first.conversationId, messageId: message._id.toHexString() },
      { jobId: message._id.toHexString() },
    );
    const handled = await eventually(async () => {
      const m = await Message.findById(message._id).lean();
      return m?.status === 'processed' ? m : false;
    });
    expect(handled.nlu?.intent).toBe('thanks');
  });
});
