/**
 * BUSINESS_HOURS: the parser and clock maths (pure), config validation, and what a customer
 * escalating outside hours is told and offered (a real Charla, web chat, fake Slack).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/kernel/config/config.js';
import {
  describeOpening,
  isOpen,
  nextOpening,
  parseBusinessHours,
} from '../../../src/kernel/time/business-hours.js';
import { Conversation } from '../../../src/kernel/db/models/conversation.js';
import { type FakeSlackApi } from '../../fakes/slack-api.js';
import { webchatClient, type MessageItem } from '../../channels/webchat/client.js';
import { eventually } from '../../support/app.js';
import { startSlackRig, type SlackRig } from '../../features/escalation/slack-rig.js';

describe('BUSINESS_HOURS parsing and clock maths', () => {
  const madrid = parseBusinessHours('Mon-Fri 09:00-18:00, Sat 10:00-14:00 Europe/Madrid');

  it('reads day ranges, several rules and the time zone', () => {
    expect(madrid.timeZone).toBe('Europe/Madrid');
    expect(
      madrid.windows.filter((w) => w.start === 540 && w.end === 1080).map((w) => w.day),
    ).toEqual([0, 1, 2, 3, 4]);
    expect(madrid.windows.filter((w) => w.day === 5)).toEqual([{ day: 5, start: 600, end: 840 }]);
    const wrap = parseBusinessHours('Fri-Mon 10:00-12:00 UTC');
    expect(wrap.windows.map((w) => w.day)).toEqual([4, 5, 6, 0]);
  });

  it('tells open from closed on the business clock, across DST', () => {
    // Monday 23 Nov 2026, 09:30 in Madrid (UTC+1) = 08:30Z.
    expect(isOpen(madrid, new Date('2026-11-23T08:30:00Z'))).toBe(true);
    expect(isOpen(madrid, new Date('2026-11-23T07:59:00Z'))).toBe(false);
    expect(isOpen(madrid, new Date('2026-11-29T11:00:00Z'))).toBe(false); // Sunday
    // Summer time (UTC+2): 09:30 local = 07:30Z.
    expect(isOpen(madrid, new Date('2026-06-15T07:30:00Z'))).toBe(true);
  });

  it('finds the next opening and says it in Spanish and English', () => {
    const mondayNight = new Date('2026-11-23T20:00:00Z'); // 21:00 in Madrid
    const next = nextOpening(madrid, mondayNight)!;
    expect(next.toISOString()).toBe('2026-11-24T08:00:00.000Z');
    expect(describeOpening(next, mondayNight, madrid.timeZone, 'es')).toBe('mañana a las 09:00');
    expect(describeOpening(next, mondayNight, madrid.timeZone, 'en')).toBe('tomorrow at 09:00');

    const saturdayAfternoon = new Date('2026-11-28T15:00:00Z');
    const monday = nextOpening(madrid, saturdayAfternoon)!;
    expect(monday.toISOString()).toBe('2026-11-30T08:00:00.000Z');
    expect(describeOpening(monday, saturdayAfternoon, madrid.timeZone, 'es')).toBe(
      'el lunes 30 de noviembre a las 09:00',
    );
    expect(describeOpening(monday, saturdayAfternoon, madrid.timeZone, 'en')).toBe(
      'on Monday 30 November at 09:00',
    );
    // The night DST starts in Madrid (29 Mar 2026): 01:00 local is still UTC+1.
    const sundayEarly = parseBusinessHours('Sun 01:00-05:00 Europe/Madrid');
    expect(nextOpening(sundayEarly, new Date('2026-03-27T20:00:00Z'))?.toISOString()).toBe(
      '2026-03-29T00:00:00.000Z',
    );
    const mexico = parseBusinessHours('Mon-Fri 09:00-18:00 America/Mexico_City');
    expect(nextOpening(mexico, new Date('2026-11-23T20:00:00Z'))?.toISOString()).toBe(
      '2026-11-24T15:00:00.000Z',
    );
  });

  it.each([
    ['Mon-Fri 09:00-18:00', /time zone/],
    ['Mon-Fri 09:00-18:00 Mars/Olympus', /unknown time zone "Mars\/Olympus"/],
    ['Mon-Fir 09:00-18:00 UTC', /unknown day "Fir"/],
    ['Mon 18:00-09:00 UTC', /ends before it starts/],
    ['Mon 09:00-25:00 UTC', /invalid time/],
    ['weekdays please UTC', /cannot read/],
  ])('rejects %s with a clear error, also from loadConfig', (spec, message) => {
    expect(() => parseBusinessHours(spec)).toThrow(message);
    let err: unknown;
    try {
      loadConfig({ BUSINESS_HOURS: spec });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).message).toMatch(/BUSINESS_HOURS/);
  });
});

describe('escalating outside business hours', () => {
  const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  // Open only two days from now, 09:00-10:00 UTC: closed whenever this test runs.
  const openDay = (new Date().getUTCDay() + 2) % 7;
  const SPEC = `${DAYS[openDay]} 09:00-10:00 UTC`;
  let slackApi: FakeSlackApi;
  let web: ReturnType<typeof webchatClient>;
  let rig: SlackRig;

  beforeAll(async () => {
    rig = await startSlackRig({
      BUSINESS_HOURS: SPEC,
      ESCALATION_SLA_MINUTES: '0.001',
      ESCALATION_SLA_CHECK_SECONDS: '0.1',
    });
    ({ slackApi, web } = rig);
  });
  afterAll(() => rig?.stop());

  const messages = async (s: { sessionId: string; token: string; conversationId: string }) =>
    ((await web.list(s)).body as { messages: MessageItem[] }).messages;

  it('tells the customer when staff are back, offers a callback, and hands back if they take it', async () => {
    const s = await web.createSession('es');
    await web.post(s, { text: 'quiero hablar con una persona' });
    const notice = await eventually(async () =>
      (await messages(s)).find((m) => m.text.includes('fuera de horario')),
    );
    const weekday = new Intl.DateTimeFormat('es-ES', { weekday: 'long', timeZone: 'UTC' }).format(
      nextOpening(parseBusinessHours(SPEC), new Date())!,
    );
    expect(notice.text).toContain(`Volvemos el ${weekday}`);
    expect(notice.text).toContain('a las 09:00 (hora de UTC)');
    expect(notice.quickReplies).toEqual([
      { title: 'Que me llamen', payload: 'quiero que me llamen' },
    ]);
    // It comes after the bot's hand-over line, so its callback button is the last one offered.
    const texts = (await messages(s)).map((m) => m.text);
    const handover = texts.findIndex((t) => t.startsWith('Te paso con una persona'));
    expect(handover).toBeGreaterThanOrEqual(0);
    expect(texts.indexOf(notice.text)).toBeGreaterThan(handover);
    const queued = await Conversation.findById(s.conversationId).lean();
    expect(queued?.status).toBe('queued');
    expect(queued?.escalation?.afterHours).toBe(true);
    const itemTs = await eventually(
      async () => (await Conversation.findById(s.conversationId).lean())?.escalation?.itemTs,
    );
    const item = slackApi.callsTo('chat.postMessage').find((c) => !c.args.thread_ts);
    expect(JSON.stringify(item?.args.blocks)).toContain('fuera de horario');

    // No SLA re-pings while the team is away.
    await new Promise((r) => setTimeout(r, 500));
    expect(
      slackApi.callsTo('chat.postMessage').some((c) => String(c.args.text).includes('⏰')),
    ).toBe(false);

    // The customer takes the callback: the bot gets the conversation back and starts that flow.
    await web.post(s, { text: 'quiero que me llamen' });
    await eventually(async () =>
      (await messages(s)).find((m) => m.awaiting?.flow === 'callback_request'),
    );
    const back = await Conversation.findById(s.conversationId).lean();
    expect(back?.status).toBe('bot');
    expect(back?.statusHistory.at(-1)).toMatchObject({ status: 'bot', reason: 'callback' });
    await eventually(async () =>
      slackApi
        .callsTo('chat.postMessage')
        .some((c) => c.args.thread_ts === itemTs && String(c.args.text).includes('📞')),
    );
  });
});
