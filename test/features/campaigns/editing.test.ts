/**
 * What the console's campaign pages need from the server beyond creating and sending: a draft is
 * changed with PATCH (checked as a whole, audited, marketers only, refused once sent), and the
 * list carries each campaign's headline figures (sent, clicked, replied, converted, unsubscribed).
 */
import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEntry } from '../../../src/kernel/db/models/audit-entry.js';
import { Campaign, CampaignRecipient } from '../../../src/features/campaigns/models.js';
import { staffWithRole, type Staff } from '../auth/staff-client.js';
import { startTestApp, type TestApp } from '../../support/app.js';
import { emailCampaign, person, segmentOf } from './fixtures.js';

const TAG = 'promo-editing';

describe('campaign drafts and the list’s figures', () => {
  let app: TestApp;
  let marketer: Staff;
  let segmentId: string;

  beforeAll(async () => {
    app = await startTestApp();
    marketer = await staffWithRole(app, 'marketer');
    await person(TAG, { name: 'Ana', emails: ['ana-edit@example.com'], consent: 'all' });
    segmentId = await segmentOf(marketer, TAG);
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('changes a draft (audited); bad changes are 4xx and change nothing', async () => {
    const created = await marketer.call(
      'POST',
      '/api/campaigns',
      emailCampaign(segmentId, 'Draft'),
    );
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const changed = await marketer.call('PATCH', `/api/campaigns/${id}`, {
      name: 'Draft 2',
      message: { en: { subject: 'Only English', text: 'Hi {{contact.name}}' } },
      variants: [{ name: 'B', weight: 30, message: { en: { subject: 'B', text: 'Other' } } }],
      sendAt: '2099-01-01T10:00:00Z',
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({
      name: 'Draft 2',
      status: 'draft',
      message: { en: { subject: 'Only English', text: 'Hi {{contact.name}}' } },
      variants: [{ name: 'B', weight: 30 }],
      sendAt: '2099-01-01T10:00:00.000Z',
    });
    expect(changed.body.message.es).toBeUndefined();
    const cleared = await marketer.call('PATCH', `/api/campaigns/${id}`, { sendAt: null });
    expect(cleared.body.sendAt).toBeNull();

    const audit = await AuditEntry.find({ action: 'campaign.update', targetId: id }).lean();
    expect(audit).toHaveLength(2);
    expect(audit[0]!.after).toMatchObject({ campaign: 'Draft 2', languages: ['en'] });

    for (const [patch, code] of [
      [{ message: { es: { text: 'sin asunto' } } }, 'subject_required'],
      [{ channel: 'whatsapp' }, 'whatsapp_templates_only'],
      [{ segmentId: '0123456789abcdef01234567' }, 'unknown_segment'],
      [{ sendAt: '2001-01-01T00:00:00Z' }, 'send_at_past'],
      [{ status: 'done' }, 'invalid_request'],
    ] as const) {
      const res = await marketer.call('PATCH', `/api/campaigns/${id}`, patch);
      expect(res.status, code).toBe(400);
      expect(res.body.error.code).toBe(code);
    }
    expect((await Campaign.findById(id).lean())!.name).toBe('Draft 2');

    const viewer = await staffWithRole(app, 'viewer');
    expect((await viewer.call('PATCH', `/api/campaigns/${id}`, { name: 'x' })).status).toBe(403);
    const missing = await marketer.call('PATCH', `/api/campaigns/${new Types.ObjectId()}`, {
      name: 'x',
    });
    expect(missing.status).toBe(404);

    await Campaign.updateOne({ _id: id }, { $set: { status: 'sending' } });
    const late = await marketer.call('PATCH', `/api/campaigns/${id}`, { name: 'Too late' });
    expect(late.status).toBe(409);
    expect((await Campaign.findById(id).lean())!.name).toBe('Draft 2');
  }, 60_000);

  it('lists campaigns with their recipients per state and per tracked step', async () => {
    const created = await marketer.call('POST', '/api/campaigns', emailCampaign(segmentId, 'Fig'));
    const campaignId = new Types.ObjectId(created.body.id as string);
    const now = new Date();
    const rows = [
      { state: 'sent', sentAt: now, clickedAt: now, repliedAt: now },
      { state: 'sent', sentAt: now, clickedAt: now, convertedAt: now },
      { state: 'sent', sentAt: now, unsubscribedAt: now },
      { state: 'failed', failedAt: now },
      { state: 'queued' },
    ];
    await CampaignRecipient.insertMany(
      rows.map((r, i) => ({
        campaignId,
        contactId: new Types.ObjectId(),
        addressKey: `email:fig${i}@example.com`,
        ...r,
      })),
    );
    const viewer = await staffWithRole(app, 'viewer');
    const list = await viewer.call('GET', '/api/campaigns');
    expect(list.status).toBe(200);
    const row = list.body.items.find((c: { name: string }) => c.name === 'Fig');
    expect(row.counts).toMatchObject({
      total: 5,
      sent: 3,
      failed: 1,
      queued: 1,
      clicked: 2,
      replied: 1,
      converted: 1,
      unsubscribed: 1,
      delivered: 0,
      read: 0,
    });
    const draft = list.body.items.find((c: { name: string }) => c.name === 'Draft 2');
    expect(draft.counts).toMatchObject({ total: 0, clicked: 0, replied: 0 });
  }, 60_000);
});
