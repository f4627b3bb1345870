/**
 * Ask instead of failing (issue 18.3), end to end through the web chat API on a real Charla
 * (FerretDB + Redis, the shipped catalogue): a vague message gets one clarifying question naming
 * the candidate intents in the customer's language; the button picked routes the message to
 * that intent and is recorded (Message.answerTo / clarified) so the studio lists it with the
 * intent chosen; "something else" records no intent; what the bot missed never lists a pick;
 * analytics counts the asked message as understood only when an intent was picked; a message
 * nothing fits gets the menu of what the bot can do.
 */
import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeContribution } from '../../../src/features/analytics/contribution.js';
import { Message } from '../../../src/kernel/db/models/message.js';
import { startTestApp, type TestApp } from '../../support/app.js';
import { settledSession, webchatClient, type Session } from '../../channels/webchat/client.js';

describe('clarifying questions in the web chat', () => {
  let app: TestApp;
  let client: ReturnType<typeof webchatClient>;
  beforeAll(async () => {
    app = await startTestApp();
    client = webchatClient(app.url);
  });
  afterAll(async () => app?.stop());

  /** Posts a message and waits for the bot's replies to it. */
  async function say(s: Session, text: string, inboundSoFar: number) {
    const res = await client.post(s, { text, clientMessageId: `c-${new Types.ObjectId()}` });
    expect(res.status).toBeLessThan(300);
    const settled = await settledSession(s.sessionId, inboundSoFar);
    const lastIn = settled.inbound.at(-1)!;
    return {
      inbound: lastIn,
      replies: settled.outbound.filter((m) => String(m.replyTo) === String(lastIn._id)),
    };
  }
  const buttons = (
    replies: Array<{ quickReplies?: ArrayLike<{ title?: string | null }> | null }>,
  ) => replies.flatMap((r) => Array.from(r.quickReplies ?? [], (q) => q.title ?? ''));

  it('Spanish: asks between opening a case and checking one, and the pick opens the case', async () => {
    const s = await client.createSession('es');
    const asked = await say(s, 'una incidencia', 1);
    expect(asked.replies).toHaveLength(1);
    expect(asked.replies[0]!.text).toMatch(/^¿Quieres .+ o .+\?$/);
    expect(asked.replies[0]!.text).toContain('abrir una incidencia');
    expect(asked.replies[0]!.text).toContain('saber cómo va una incidencia que ya tienes');
    expect(buttons(asked.replies).sort()).toEqual(
      ['Abrir incidencia', 'Cómo va mi caso', 'Otra cosa'].sort(),
    );
    expect(asked.inbound.nlu?.intent ?? null).toBeNull();
    expect(asked.inbound.answerTo).toBeUndefined();

    const picked = await say(s, 'Abrir incidencia', 2);
    // The open_case flow started: its first question is asked.
    expect(picked.replies.at(-1)?.awaiting?.flow).toBe('open_case');
    expect(picked.inbound.answerTo).toBe('clarification');
    expect(picked.inbound.nlu?.intent).toBe('open_case');
    expect(String(picked.inbound.clarified?.of)).toBe(String(asked.inbound._id));
    expect(picked.inbound.clarified?.intent).toBe('open_case');

    // Analytics: the asked message counts as understood (open_case), the pick counts for nothing.
    const c = await computeContribution(new Types.ObjectId(s.conversationId));
    expect(c?.intents).toEqual([{ intent: 'open_case', count: 1 }]);
    expect(c?.noIntent).toBe(0);

    // The studio lists the pick with the intent chosen; what the bot missed does not list it.
    const clarified = await fetch(`${app.url}/api/nlu/clarified?language=es`, {
      headers: app.admin,
    });
    expect(clarified.status).toBe(200);
    const { picks } = (await clarified.json()) as {
      picks: Array<{ id: string; text: string; intent: string }>;
    };
    expect(picks).toContainEqual(
      expect.objectContaining({
        id: String(asked.inbound._id),
        text: 'una incidencia',
        intent: 'open_case',
      }),
    );
    const missed = await fetch(`${app.url}/api/nlu/unanswered`, { headers: app.admin });
    const body = (await missed.json()) as { groups: Array<{ messageIds: string[] }> };
    const listed = body.groups.flatMap((g) => g.messageIds);
    expect(listed).not.toContain(String(asked.inbound._id));
    expect(listed).not.toContain(String(picked.inbound._id));
  });

  it('English: "Something else" records no intent; a message nothing fits gets the menu', async () => {
    const s = await client.createSession('en');
    const asked = await say(s, 'support ticket', 1);
    expect(asked.replies[0]!.text).toMatch(/^Do you want to .* or .*\?$/);
    expect(asked.replies[0]!.text).toContain('open a support case');
    expect(buttons(asked.replies)).toContain('Something else');

    const other = await say(s, 'Something else', 2);
    expect(other.replies.map((r) => r.text)).toEqual([
      "All right. Tell me in other words what you need and I'll try again.",
    ]);
    expect(other.inbound.answerTo).toBe('clarification');
    expect(other.inbound.clarified?.intent ?? null).toBeNull();

    const c = await computeContribution(new Types.ObjectId(s.conversationId));
    expect(c?.intents).toEqual([]);
    expect(c?.noIntent).toBe(1);

    const lost = await say(s, 'qwerty zzz', 3);
    expect(lost.replies[0]!.text).toMatch(/^Sorry, I didn't understand that\./);
    expect(buttons(lost.replies)).toEqual(['Prices', 'Open a case', 'Opening hours']);
    // A tap on a menu button is a pick like any other.
    const tap = await say(s, 'Prices', 4);
    expect(tap.inbound.answerTo).toBe('clarification');
    expect(tap.inbound.clarified?.intent).toBe('pricing');
    expect(await Message.countDocuments({ 'clarified.of': lost.inbound._id })).toBe(1);
  });
});
