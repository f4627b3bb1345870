/**
 * WhatsApp campaigns (issue 21.2) against a real Charla (FerretDB, Redis) and the fake Graph: a
 * campaign names one of the stored approved templates with its variables; free text, no
 * template, an unknown or unapproved template and the wrong number of variables are refused with
 * 400 and nothing stored. Sent, the fake receives template messages — in each contact's language,
 * their name filled — only for contacts who agreed to marketing on WhatsApp and have a WhatsApp
 * number, whatever the 24-hour window; the wamid is the recipient's message id, so WhatsApp's
 * statuses count as delivered and read in the report.
 */
import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openConversation } from '../../../src/kernel/db/conversations.js';
import { Conversation } from '../../../src/kernel/db/models/conversation.js';
import { Campaign, CampaignRecipient } from '../../../src/features/campaigns/models.js';
import { staffWithRole, type Staff } from '../auth/staff-client.js';
import { eventually, startTestApp, type TestApp } from '../../support/app.js';
import {
  postWebhook,
  startFakeGraph,
  whatsappStatuses,
  type FakeGraph,
} from '../../fakes/whatsapp-graph.js';
import { person, segmentOf, type Person } from './fixtures.js';

const TOKEN = 'graph-token-wa-campaign';
const PHONE_ID = '7700';
const WABA_ID = '55443322';
const SECRET = 'app-secret-wa-campaign';
const TAG = 'wa-campaign';

async function onWhatsApp(p: Person, phone: string, lastMessageDaysAgo = 0): Promise<void> {
  const c = await openConversation({
    channel: 'whatsapp',
    platformConversationId: phone,
    platformUserId: phone,
    contactId: p.id,
  });
  // Long outside the 24-hour window: templates may still be sent.
  await Conversation.updateOne(
    { _id: c._id },
    { $set: { lastMessageAt: new Date(Date.now() - lastMessageDaysAgo * 86_400_000) } },
  );
}

describe('WhatsApp campaigns', () => {
  let graph: FakeGraph;
  let app: TestApp;
  let marketer: Staff;
  let segmentId: string;

  const templateSends = () => graph.delivered().filter((r) => r.body.type === 'template');

  beforeAll(async () => {
    graph = await startFakeGraph({ token: TOKEN, phoneId: PHONE_ID, wabaId: WABA_ID });
    graph.templates.push(
      {
        name: 'promo',
        language: 'es',
        status: 'APPROVED',
        category: 'MARKETING',
        components: [
          {
            type: 'BODY',
            text: 'Hola {{1}}, {{2}} de descuento. Responde BAJA para no recibir más.',
          },
        ],
      },
      {
        name: 'promo',
        language: 'en_US',
        status: 'APPROVED',
        category: 'MARKETING',
        components: [{ type: 'BODY', text: 'Hi {{1}}, {{2}} off. Reply STOP to opt out.' }],
      },
      {
        name: 'pendiente',
        language: 'es',
        status: 'PENDING',
        category: 'MARKETING',
        components: [{ type: 'BODY', text: 'Pronto' }],
      },
    );
    app = await startTestApp(
      {
        WHATSAPP_CLOUD_TOKEN: TOKEN,
        WHATSAPP_CLOUD_PHONE_ID: PHONE_ID,
        WHATSAPP_APP_SECRET: SECRET,
        WHATSAPP_VERIFY_TOKEN: 'verify',
        WHATSAPP_GRAPH_URL: graph.url,
        WHATSAPP_WABA_ID: WABA_ID,
      },
      { campaigns: { ratePerSecond: { whatsapp: 200 }, sweepIntervalMs: 3_600_000 } },
    );
    marketer = await staffWithRole(app, 'marketer');
    expect((await marketer.call('POST', '/api/campaigns/whatsapp-templates/sync', {})).status).toBe(
      200,
    );
    const ana = await person(TAG, { name: 'Ana', locale: 'es', consent: 'all' });
    await onWhatsApp(ana, '34600000001', 10);
    const john = await person(TAG, { name: 'John', locale: 'en', consent: { only: 'whatsapp' } });
    await onWhatsApp(john, '34600000002');
    const silent = await person(TAG, { name: 'Sin permiso' });
    await onWhatsApp(silent, '34600000003');
    const emailOnly = await person(TAG, { name: 'Solo correo', consent: { only: 'email' } });
    await onWhatsApp(emailOnly, '34600000004');
    const gone = await person(TAG, { name: 'Se fue', consent: 'revoked' });
    await onWhatsApp(gone, '34600000005');
    await person(TAG, { name: 'Sin WhatsApp', consent: 'all', emails: ['x@customer.test'] });
    segmentId = await segmentOf(marketer, TAG);
  });
  afterAll(async () => {
    await app?.stop();
    await graph?.close();
  });

  const campaign = (extra: Record<string, unknown>) => ({
    name: 'Promo WhatsApp',
    segmentId,
    channel: 'whatsapp',
    ...extra,
  });

  it('refuses free text, no template, unknown or unapproved templates and wrong variables: 400, nothing stored', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ message: { es: { text: 'Hola a todos' } } }, 'whatsapp_templates_only'],
      [
        { message: { es: { text: 'Hola' } }, template: { name: 'promo', variables: ['a', 'b'] } },
        'whatsapp_templates_only',
      ],
      [{}, 'template_required'],
      [{ template: { name: 'nope', variables: [] } }, 'unknown_template'],
      [{ template: { name: 'promo', language: 'fr', variables: ['a', 'b'] } }, 'unknown_template'],
      [{ template: { name: 'pendiente', variables: [] } }, 'template_not_approved'],
      [{ template: { name: 'promo', variables: ['{{contact.name}}'] } }, 'template_variables'],
      [
        { template: { name: 'promo', language: 'es', variables: ['a', 'b', 'c'] } },
        'template_variables',
      ],
    ];
    for (const [body, code] of cases) {
      const res = await marketer.call('POST', '/api/campaigns', campaign(body));
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code, JSON.stringify(body)).toBe(code);
    }
    const free = await marketer.call(
      'POST',
      '/api/campaigns',
      campaign({ message: { es: { text: 'Hola' } } }),
    );
    expect(free.body.error.message).toContain('24-hour');
    // An unknown variable inside a value is a schema error.
    const badVar = await marketer.call(
      'POST',
      '/api/campaigns',
      campaign({ template: { name: 'promo', variables: ['{{contact.email}}', 'x'] } }),
    );
    expect(badVar.status).toBe(400);
    // A template on another channel is refused too.
    const email = await marketer.call('POST', '/api/campaigns', {
      name: 'x',
      segmentId,
      channel: 'telegram',
      message: { es: { text: 'Hola' } },
      template: { name: 'promo', variables: ['a', 'b'] },
    });
    expect(email.body.error?.code).toBe('template_whatsapp_only');
    expect(await Campaign.countDocuments({ channel: 'whatsapp' })).toBe(0);
  });

  it('sends the template only to consenting contacts on WhatsApp; statuses reach the report', async () => {
    const preview = await marketer.call(
      'GET',
      `/api/campaigns/audience?segmentId=${segmentId}&channel=whatsapp`,
    );
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({
      segmentContacts: 6,
      count: 2,
      excluded: { no_consent: 2, unsubscribed: 1, unreachable: 1 },
    });

    const created = await marketer.call(
      'POST',
      '/api/campaigns',
      campaign({ template: { name: 'promo', variables: ['{{contact.name}}', '20%'] } }),
    );
    expect(created.status).toBe(201);
    expect(created.body.template).toEqual({
      name: 'promo',
      language: null,
      variables: ['{{contact.name}}', '20%'],
    });
    expect(created.body.message).toEqual({});
    const id = created.body.id as string;
    // A draft's template is checked on change too, and the draft stays as it was.
    const badPatch = await marketer.call('PATCH', `/api/campaigns/${id}`, {
      template: { name: 'promo', variables: ['x'] },
    });
    expect(badPatch.status).toBe(400);
    expect(badPatch.body.error.code).toBe('template_variables');
    const text = await marketer.call('PATCH', `/api/campaigns/${id}`, {
      message: { es: { text: 'Hola' } },
    });
    expect(text.body.error.code).toBe('whatsapp_templates_only');
    const stored = await Campaign.findById(id).lean();
    expect(stored?.template).toEqual({ name: 'promo', variables: ['{{contact.name}}', '20%'] });
    expect((await marketer.call('POST', `/api/campaigns/${id}/test`, {})).body.error?.code).toBe(
      'whatsapp_test_send',
    );

    expect((await marketer.call('POST', `/api/campaigns/${id}/send`, {})).status).toBe(200);
    await eventually(async () => {
      const c = await Campaign.findById(id).lean();
      return c?.status === 'done';
    }, 60_000);
    const sends = templateSends();
    expect(sends.map((s) => s.body.to).sort()).toEqual(['34600000001', '34600000002']);
    expect(graph.delivered().filter((r) => r.body.type !== 'template')).toEqual([]);
    const to = (phone: string) => sends.find((s) => s.body.to === phone)!.body.template;
    expect(to('34600000001')).toEqual({
      name: 'promo',
      language: { code: 'es' },
      components: [
        {
          type: 'body',
          parameters: [
            { type: 'text', text: 'Ana' },
            { type: 'text', text: '20%' },
          ],
        },
      ],
    });
    expect(to('34600000002')).toMatchObject({
      language: { code: 'en_US' },
      components: [{ parameters: [{ text: 'John' }, { text: '20%' }] }],
    });

    const recipients = await CampaignRecipient.find({
      campaignId: new Types.ObjectId(id),
      state: 'sent',
    }).lean();
    expect(recipients).toHaveLength(2);
    for (const r of recipients) expect(r.messageId).toMatch(/^wamid\.fake-/);
    const [first, second] = recipients;
    const post = await postWebhook(
      app.url,
      whatsappStatuses({
        phoneId: PHONE_ID,
        statuses: [
          { id: first!.messageId!, status: 'delivered' },
          { id: second!.messageId!, status: 'delivered' },
          { id: second!.messageId!, status: 'read' },
        ],
      }),
      SECRET,
    );
    expect(post.status).toBe(200);
    const report = await eventually(async () => {
      const r = (await marketer.call('GET', `/api/campaigns/${id}/report`)).body;
      return r.funnel.read === 1 && r.funnel.delivered === 2 ? r : null;
    }, 30_000);
    expect(report.funnel).toMatchObject({ recipients: 2, sent: 2, failed: 0 });
    expect(report.byChannel).toEqual([expect.objectContaining({ channel: 'whatsapp' })]);
  });
});
