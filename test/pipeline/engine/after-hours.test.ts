import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Conversation } from '../../../src/kernel/db/models/conversation.js';
import { eventually, startTestApp, type TestApp } from '../../support/app.js';
import { customer, recordingAdapter } from './chat.js';

/** Business hours that are closed now: a half-hour window twelve hours away. */
function closedNow(): string {
  const hour = String((new Date().getUTCHours() + 12) % 24).padStart(2, '0');
  return `Mon-Sun ${hour}:00-${hour}:30 UTC`;
}

describe('after hours: the customer leaves the queue for a callback', () => {
  let app: TestApp;
  const rec = recordingAdapter('telegram');
  beforeAll(async () => {
    app = await startTestApp({ BUSINESS_HOURS: closedNow() }, { extraAdapters: [rec.adapter] });
  });
  afterAll(async () => app?.stop());

  it('the message handed back by the escalator starts the callback flow', async () => {
    const c = customer(() => app, rec, 'night-owl');
    const replies = await c.say('Quiero hablar con una persona');
    expect(replies.map((r) => r.text).join('\n')).toMatch(/Te paso con una persona/);
    expect((await Conversation.findById(c.conversationId()).lean())?.status).toBe('queued');

    // The escalator sends the after-hours notice, with a callback button, after the hand-over.
    const offer = await eventually(async () =>
      rec.sent.find((m) => m.conversationId === c.conversationId() && m.quickReplies?.length),
    );
    const payload = offer.quickReplies?.[0]?.payload;
    expect(payload).toBeDefined();

    const [askPhone] = await c.say(payload!);
    expect(askPhone?.awaiting).toEqual({ flow: 'callback_request', slot: 'phone' });
    expect((await Conversation.findById(c.conversationId()).lean())?.status).toBe('bot');
  });
});
