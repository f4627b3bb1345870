/**
 * A campaign is not finished while its recipients are still being listed: the sweep (every
 * minute, and on start) found nobody queued during a long listing (10,000 recipients in the
 * bench) and closed the campaign before anyone was sent. finishIfDone now waits for the start
 * job's `listedAt`, and the sweep re-queues the start of a campaign whose listing never finished
 * (its job lost with Redis). Correctness only.
 */
import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Campaign, CampaignRecipient } from '../../../src/features/campaigns/models.js';
import { finishIfDone } from '../../../src/features/campaigns/sending.js';
import { eventually, startTestApp, type TestApp } from '../../support/app.js';
import { startSmtpSink, type SmtpSink } from '../../support/smtp-sink.js';
import { staffWithRole } from '../auth/staff-client.js';
import { emailCampaign, person, segmentOf } from './fixtures.js';

const TAG = 'promo-listing';

describe('a campaign being listed', () => {
  let app: TestApp;
  let sink: SmtpSink;
  let segmentId: string;
  let marketer: Awaited<ReturnType<typeof staffWithRole>>;

  beforeAll(async () => {
    sink = await startSmtpSink();
    app = await startTestApp({ SMTP_URL: sink.url, EMAIL_ADDRESS: 'news@charla.test' });
    marketer = await staffWithRole(app, 'marketer');
    for (const n of ['a', 'b', 'c']) {
      await person(TAG, { name: n, emails: [`${n}@listing.test`], consent: 'all' });
    }
    segmentId = await segmentOf(marketer, TAG);
  });
  afterAll(async () => {
    await app?.stop();
    await sink?.close();
  });

  it('is not done until listed, however empty its queue looks', async () => {
    const created = await marketer.call('POST', '/api/campaigns', emailCampaign(segmentId, 'L1'));
    const id = new Types.ObjectId(created.body.id as string);
    // As the start job leaves it mid-listing: sending, nobody listed yet.
    await Campaign.updateOne({ _id: id }, { $set: { status: 'sending', startedAt: new Date() } });
    expect(await finishIfDone(id)).toBe(false);
    expect((await Campaign.findById(id).lean())!.status).toBe('sending');
    await Campaign.updateOne({ _id: id }, { $set: { listedAt: new Date() } });
    expect(await finishIfDone(id)).toBe(true);
    expect((await Campaign.findById(id).lean())!.status).toBe('done');
  });

  it('the sweep starts again a listing whose start job was lost, and everyone is sent once', async () => {
    const created = await marketer.call('POST', '/api/campaigns', emailCampaign(segmentId, 'L2'));
    const id = new Types.ObjectId(created.body.id as string);
    // Sent, but its start job never ran (lost with Redis): no recipients, no listedAt.
    await Campaign.updateOne({ _id: id }, { $set: { status: 'sending', startedAt: new Date() } });
    await app.charla.services.campaigns.sweep();
    expect((await Campaign.findById(id).lean())!.status).not.toBe('done');
    await eventually(async () => (await Campaign.findById(id).lean())!.status === 'done', 60_000);
    const states = await CampaignRecipient.find({ campaignId: id }).lean();
    expect(states.map((r) => r.state)).toEqual(['sent', 'sent', 'sent']);
    for (const n of ['a', 'b', 'c']) {
      expect(sink.mails.filter((m) => m.envelopeTo[0] === `${n}@listing.test`)).toHaveLength(1);
    }
    expect((await Campaign.findById(id).lean())!.listedAt).toBeInstanceOf(Date);
  });
});
