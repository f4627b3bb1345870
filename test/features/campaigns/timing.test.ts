/**
 * Time zones and quiet hours (issue 21.3): the local-time arithmetic against fixed-offset zones
 * and a DST change, then a real Charla (FerretDB, Redis, BullMQ, an SMTP sink): a campaign
 * scheduled in each contact's local time sends to the zone that has reached it and leaves the
 * others queued with their own due time (the contact's zone, else DEFAULT_TIMEZONE); quiet hours
 * defer a recipient — when listed, and when the queue reaches them inside — and the message still
 * goes out once they end; bad schedules are 400s.
 */
import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Contact } from '../../../src/kernel/db/models/contact.js';
import { Campaign, CampaignRecipient } from '../../../src/features/campaigns/models.js';
import {
  dueAt,
  earliestInstant,
  localInstant,
  quietUntil,
  zoneOf,
} from '../../../src/features/campaigns/timing.js';
import { staffWithRole, type Staff } from '../auth/staff-client.js';
import { startSmtpSink, type SmtpSink } from '../../support/smtp-sink.js';
import { eventually, startTestApp, type TestApp } from '../../support/app.js';
import { emailCampaign, person, segmentOf, type Person } from './fixtures.js';

const HOUR = 3_600_000;
const MIN = 60_000;

/** 'YYYY-MM-DDTHH:MM' on the wall clock of a zone with a fixed offset (hours east of UTC). */
const wallClock = (at: number, offsetHours: number) =>
  new Date(at + offsetHours * HOUR).toISOString().slice(0, 16);
/** The instant a fixed-offset zone shows that wall-clock time (independent of timing.ts). */
const fromWallClock = (local: string, offsetHours: number) =>
  new Date(`${local}:00Z`).getTime() - offsetHours * HOUR;
/** 'HH:MM' now + minutes in an IANA zone, read with Intl. */
const hhmm = (zone: string, at: number) =>
  new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(at));

describe('local time arithmetic', () => {
  it('reads a local time in the zone, across DST, and finds where it comes first', () => {
    expect(localInstant('2026-07-01T10:00', 'Europe/Madrid').toISOString()).toBe(
      '2026-07-01T08:00:00.000Z',
    );
    expect(localInstant('2026-01-15T10:00', 'Europe/Madrid').toISOString()).toBe(
      '2026-01-15T09:00:00.000Z',
    );
    expect(localInstant('2026-07-01T10:00', 'America/Mexico_City').toISOString()).toBe(
      '2026-07-01T16:00:00.000Z',
    );
    expect(earliestInstant('2026-07-01T10:00').toISOString()).toBe('2026-06-30T20:00:00.000Z');
    expect(zoneOf({ timeZone: 'Asia/Tokyo' }, 'Europe/Madrid')).toBe('Asia/Tokyo');
    expect(zoneOf({ timeZone: 'Mars/Olympus' }, 'Europe/Madrid')).toBe('Europe/Madrid');
    expect(zoneOf({}, 'America/Lima')).toBe('America/Lima');
  });

  it('quiet hours across midnight, within a day, and over a DST change', () => {
    const night = { start: '21:00', end: '09:00' };
    // 23:30 in Madrid (winter, UTC+1) → 09:00 next morning.
    expect(
      quietUntil(night, 'Europe/Madrid', new Date('2026-01-15T22:30:00Z'))?.toISOString(),
    ).toBe('2026-01-16T08:00:00.000Z');
    // 07:00 → 09:00 the same morning; 13:00 → not quiet.
    expect(
      quietUntil(night, 'Europe/Madrid', new Date('2026-01-15T06:00:00Z'))?.toISOString(),
    ).toBe('2026-01-15T08:00:00.000Z');
    expect(quietUntil(night, 'Europe/Madrid', new Date('2026-01-15T12:00:00Z'))).toBeNull();
    // The night the clocks go forward (29 March 2026): 09:00 is then UTC+2.
    expect(
      quietUntil(night, 'Europe/Madrid', new Date('2026-03-28T21:30:00Z'))?.toISOString(),
    ).toBe('2026-03-29T07:00:00.000Z');
    const siesta = { start: '14:00', end: '16:30' };
    expect(
      quietUntil(siesta, 'America/Mexico_City', new Date('2026-07-01T20:15:00Z'))?.toISOString(),
    ).toBe('2026-07-01T22:30:00.000Z');
    expect(quietUntil(siesta, 'America/Mexico_City', new Date('2026-07-01T23:00:00Z'))).toBeNull();
    // A local send time inside quiet hours moves to their end; a past one is now.
    const now = new Date('2026-07-01T12:00:00Z');
    expect(
      dueAt(
        { sendAtLocal: '2026-07-01T22:00', quietHours: night },
        'Europe/Madrid',
        now,
      ).toISOString(),
    ).toBe('2026-07-02T07:00:00.000Z');
    expect(dueAt({ sendAtLocal: '2026-06-01T10:00' }, 'Europe/Madrid', now)).toEqual(now);
  });
});

describe('campaign schedules in local time, and quiet hours', () => {
  let app: TestApp;
  let sink: SmtpSink;
  let marketer: Staff;
  const mailsTo = (address: string) => sink.mails.filter((m) => m.envelopeTo.includes(address));
  const recipientOf = (campaignId: string, p: Person) =>
    CampaignRecipient.findOne({
      campaignId: new Types.ObjectId(campaignId),
      contactId: p.id,
    }).lean();

  async function zoned(tag: string, address: string, timeZone?: string): Promise<Person> {
    const p = await person(tag, { name: address, emails: [address], consent: 'all' });
    if (timeZone) await Contact.updateOne({ _id: p.id }, { $set: { timeZone } });
    return p;
  }

  beforeAll(async () => {
    sink = await startSmtpSink();
    app = await startTestApp(
      {
        SMTP_URL: sink.url,
        EMAIL_ADDRESS: 'news@charla.test',
        DEFAULT_TIMEZONE: 'America/Mexico_City',
      },
      { campaigns: { ratePerSecond: { email: 200 }, sweepIntervalMs: 3_600_000 } },
    );
    marketer = await staffWithRole(app, 'marketer');
  });
  afterAll(async () => {
    await app?.stop();
    await sink?.close();
  });

  it('refuses bad schedules with 400 and the reason', async () => {
    const segmentId = await segmentOf(marketer, 'tz-bad');
    const bad = async (extra: object) => {
      const res = await marketer.call('POST', '/api/campaigns', {
        ...emailCampaign(segmentId),
        ...extra,
      });
      expect(res.status).toBe(400);
      return JSON.stringify(res.body.error);
    };
    expect(await bad({ quietHours: { start: '25:00', end: '09:00' } })).toContain('HH:MM');
    expect(await bad({ quietHours: { start: '09:00', end: '09:00' } })).toContain('different');
    expect(await bad({ quietHours: { start: '21:00' } })).toContain('end');
    expect(await bad({ sendAtLocal: '2030-02-30T10:00' })).toContain('real date');
    expect(await bad({ sendAtLocal: '2030-01-01T10:00+01:00' })).toContain('YYYY-MM-DDTHH:MM');
    expect(
      await bad({ sendAtLocal: '2030-01-01T10:00', sendAt: '2030-01-01T10:00:00Z' }),
    ).toContain('not both');
    expect(await bad({ sendAtLocal: '2020-01-01T10:00' })).toContain('send_at_past');
    expect(await Campaign.countDocuments({ segmentId: new Types.ObjectId(segmentId) })).toBe(0);
  });

  it('a draft’s schedule and quiet hours change with PATCH; one schedule at a time', async () => {
    const segmentId = await segmentOf(marketer, 'tz-patch');
    const created = await marketer.call('POST', '/api/campaigns', {
      ...emailCampaign(segmentId, 'Patch'),
      sendAt: '2030-01-01T10:00:00Z',
    });
    const id = created.body.id as string;
    const patch = (body: object) => marketer.call('PATCH', `/api/campaigns/${id}`, body);
    const local = await patch({
      sendAtLocal: '2030-01-02T10:00',
      quietHours: { start: '22:00', end: '08:00' },
    });
    expect(local.status).toBe(200);
    expect(local.body).toMatchObject({
      sendAtLocal: '2030-01-02T10:00',
      sendAt: '2030-01-01T20:00:00.000Z',
      quietHours: { start: '22:00', end: '08:00' },
    });
    const instant = await patch({ sendAt: '2030-01-03T10:00:00Z', quietHours: null });
    expect(instant.body).toMatchObject({
      sendAtLocal: null,
      sendAt: '2030-01-03T10:00:00.000Z',
      quietHours: null,
    });
    expect((await patch({ quietHours: { start: '8:00', end: '09:00' } })).status).toBe(400);
    expect(
      (await patch({ sendAt: '2030-01-03T10:00:00Z', sendAtLocal: '2030-01-02T10:00' })).status,
    ).toBe(400);
  });

  it('sends at each contact’s local time: the zone that reached it now, the others queued until theirs', async () => {
    const tag = 'tz-local';
    const kiritimati = await zoned(tag, 'k@example.com', 'Pacific/Kiritimati'); // UTC+14
    const pagoPago = await zoned(tag, 'p@example.com', 'Pacific/Pago_Pago'); // UTC-11
    const noZone = await zoned(tag, 'm@example.com'); // DEFAULT_TIMEZONE: Mexico City, UTC-6
    const segmentId = await segmentOf(marketer, tag);
    // What the clock shows in Kiritimati now: due there at once, 25 h later in Pago Pago.
    const local = wallClock(Date.now(), 14);
    const created = await marketer.call('POST', '/api/campaigns', {
      ...emailCampaign(segmentId, 'Local'),
      sendAtLocal: local,
    });
    expect(created.status).toBe(201);
    expect(created.body.sendAtLocal).toBe(local);
    expect(created.body.sendAt).toBe(new Date(fromWallClock(local, 14)).toISOString());
    const id = created.body.id as string;
    expect((await marketer.call('POST', `/api/campaigns/${id}/send`, {})).status).toBe(200);

    await eventually(async () => mailsTo('k@example.com').length === 1, 30_000);
    const p = await eventually(() => recipientOf(id, pagoPago), 30_000);
    const m = await eventually(() => recipientOf(id, noZone), 30_000);
    expect(p).toMatchObject({ state: 'queued', timeZone: 'Pacific/Pago_Pago' });
    expect(new Date(p.dueAt!).getTime()).toBe(fromWallClock(local, -11));
    expect(m).toMatchObject({ state: 'queued', timeZone: 'America/Mexico_City' });
    expect(new Date(m.dueAt!).getTime()).toBe(fromWallClock(local, -6));
    expect(await recipientOf(id, kiritimati)).toMatchObject({ state: 'sent' });
    // Their jobs wait in BullMQ's delayed set, due at that instant.
    const queue = app.charla.services.campaigns.queues.send.email;
    const job = await queue.getJob(p._id.toHexString());
    expect(await job?.getState()).toBe('delayed');
    expect(job!.timestamp + job!.delay).toBeGreaterThanOrEqual(fromWallClock(local, -11) - 5_000);
    // The sweep (Redis lost the job, or a second instance) keeps them waiting too.
    await app.charla.services.campaigns.sweep();
    expect(mailsTo('p@example.com')).toHaveLength(0);
    expect(mailsTo('m@example.com')).toHaveLength(0);
    const listed = await marketer.call('GET', `/api/campaigns/${id}/recipients?status=queued`);
    expect(listed.body.items.map((r: { dueAt: string }) => r.dueAt).sort()).toEqual(
      [fromWallClock(local, -6), fromWallClock(local, -11)].map((t) => new Date(t).toISOString()),
    );
    expect((await marketer.call('GET', `/api/campaigns/${id}`)).body.status).toBe('sending');
    await marketer.call('POST', `/api/campaigns/${id}/cancel`, {});
  });

  it('quiet hours defer a recipient — when listed and when reached inside them — and it still goes out', async () => {
    const tag = 'tz-quiet';
    const madrid = await zoned(tag, 'madrid@example.com', 'Europe/Madrid');
    const tokyo = await zoned(tag, 'tokyo@example.com', 'Asia/Tokyo');
    const segmentId = await segmentOf(marketer, tag);
    const now = Date.now();
    // Quiet now in Madrid until two minutes from now; Tokyo's clock is 8 h ahead: outside.
    const quietHours = {
      start: hhmm('Europe/Madrid', now - 30 * MIN),
      end: hhmm('Europe/Madrid', now + 2 * MIN),
    };
    const created = await marketer.call('POST', '/api/campaigns', {
      ...emailCampaign(segmentId, 'Quiet'),
      quietHours,
    });
    expect(created.status).toBe(201);
    expect(created.body.quietHours).toEqual(quietHours);
    const id = created.body.id as string;
    expect((await marketer.call('POST', `/api/campaigns/${id}/send`, {})).status).toBe(200);
    await eventually(async () => mailsTo('tokyo@example.com').length === 1, 30_000);
    const waiting = await eventually(() => recipientOf(id, madrid), 30_000);
    expect(waiting.state).toBe('queued');
    const end = new Date(waiting.dueAt!);
    expect(hhmm('Europe/Madrid', end.getTime())).toBe(quietHours.end);
    expect(end.getTime()).toBeGreaterThan(now);
    expect(mailsTo('madrid@example.com')).toHaveLength(0);
    // Deferred, not dropped: it goes out once the quiet hours end, and the campaign is done.
    await eventually(async () => mailsTo('madrid@example.com').length === 1, 240_000);
    const sent = await recipientOf(id, madrid);
    expect(sent?.state).toBe('sent');
    expect(new Date(sent!.sentAt!).getTime()).toBeGreaterThanOrEqual(end.getTime());
    await eventually(
      async () => (await marketer.call('GET', `/api/campaigns/${id}`)).body.status === 'done',
      30_000,
    );
    expect(await recipientOf(id, tokyo)).toMatchObject({ state: 'sent' });
  }, 400_000);

  it('a recipient the queue reaches inside quiet hours waits in the delayed set until they end', async () => {
    const tag = 'tz-reached';
    const madrid = await zoned(tag, 'late@example.com', 'Europe/Madrid');
    const segmentId = await segmentOf(marketer, tag);
    // Due in Madrid a minute or two from now; quiet hours far away when listed.
    const now = Date.now();
    const localDue = new Intl.DateTimeFormat('sv-SE', {
      timeZone: 'Europe/Madrid',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .format(new Date(now + 2 * MIN))
      .replace(' ', 'T');
    const created = await marketer.call('POST', '/api/campaigns', {
      ...emailCampaign(segmentId, 'Reached'),
      sendAtLocal: localDue,
      quietHours: {
        start: hhmm('Europe/Madrid', now + 6 * HOUR),
        end: hhmm('Europe/Madrid', now + 7 * HOUR),
      },
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect((await marketer.call('POST', `/api/campaigns/${id}/send`, {})).status).toBe(200);
    const listed = await eventually(() => recipientOf(id, madrid), 30_000);
    const due = new Date(listed.dueAt!).getTime();
    expect(due).toBe(localInstant(localDue, 'Europe/Madrid').getTime());
    // Meanwhile quiet hours are changed to hold that moment (the queue is slower than planned).
    const until = due + 2 * MIN;
    await Campaign.updateOne(
      { _id: new Types.ObjectId(id) },
      {
        $set: {
          quietHours: {
            start: hhmm('Europe/Madrid', due - 5 * MIN),
            end: hhmm('Europe/Madrid', until),
          },
        },
      },
    );
    // Reached inside them: moved to their end (recorded), then sent once.
    const moved = await eventually(async () => {
      const r = await recipientOf(id, madrid);
      return r && r.dueAt && new Date(r.dueAt).getTime() > due ? r : null;
    }, 240_000);
    expect(hhmm('Europe/Madrid', new Date(moved.dueAt!).getTime())).toBe(
      hhmm('Europe/Madrid', until),
    );
    expect(mailsTo('late@example.com')).toHaveLength(0);
    await eventually(async () => mailsTo('late@example.com').length === 1, 300_000);
    const sent = await recipientOf(id, madrid);
    expect(new Date(sent!.sentAt!).getTime()).toBeGreaterThanOrEqual(
      new Date(moved.dueAt!).getTime(),
    );
  }, 600_000);
});
