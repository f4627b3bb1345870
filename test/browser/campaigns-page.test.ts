/**
 * Campaigns in a real Chromium against a real Charla (FerretDB, Redis, BullMQ) and a real SMTP
 * sink: a marketer creates an email campaign on a segment of consenting contacts, sees the live
 * audience and why someone is left out, previews the text as a customer reads it (markup shown
 * literally), sends a test to themself, sends it with a confirmation, and watches the report's
 * figures move. A viewer reads without the create button or the actions; an agent is refused.
 * Spanish on a desktop, English on a phone without horizontal overflow. A WhatsApp campaign
 * (against the fake Graph) is made from a synced approved template with its variables filled.
 */
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSeedUsers } from '../../scripts/console-seed.js';
import { Campaign } from '../../src/features/campaigns/models.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { openConversation } from '../../src/kernel/db/conversations.js';
import { person } from '../features/campaigns/fixtures.js';
import { startFakeGraph, type FakeGraph } from '../fakes/whatsapp-graph.js';
import {
  DESKTOP,
  ensureConsoleBuilt,
  launchChromium,
  newConsoleContext,
  openConsole,
  PHONE,
  pageOverflowsX,
  signInAs,
} from './console-support.js';

const TAG = 'browser-campaign';
const WA_TAG = 'browser-campaign-wa';

describe('console: campaigns', () => {
  let app: TestApp;
  let sink: SmtpSink;
  let graph: FakeGraph;
  let browser: Browser;
  let campaignId = '';
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    ensureConsoleBuilt();
    sink = await startSmtpSink();
    graph = await startFakeGraph({ token: 'graph-browser', phoneId: '8800', wabaId: '4400' });
    graph.templates.push({
      name: 'promo',
      language: 'es',
      status: 'APPROVED',
      category: 'MARKETING',
      components: [{ type: 'BODY', text: 'Hola {{1}}, {{2}} de descuento. Responde BAJA.' }],
    });
    app = await startTestApp(
      {
        SMTP_URL: sink.url,
        EMAIL_ADDRESS: 'news@charla.test',
        WHATSAPP_CLOUD_TOKEN: 'graph-browser',
        WHATSAPP_CLOUD_PHONE_ID: '8800',
        WHATSAPP_APP_SECRET: 'secret',
        WHATSAPP_VERIFY_TOKEN: 'verify',
        WHATSAPP_GRAPH_URL: graph.url,
        WHATSAPP_WABA_ID: '4400',
      },
      { campaigns: { ratePerSecond: { email: 200 }, sweepIntervalMs: 3_600_000 } },
    );
    await createSeedUsers(app.url, app.admin);
    for (const [i, name] of ['Ana Ruiz', 'Beto Sanz', 'Carla Vidal'].entries()) {
      await person(TAG, { name, emails: [`camp-${i}@example.com`], locale: 'es', consent: 'all' });
    }
    await person(TAG, { name: 'Dani Sin Permiso', emails: ['camp-no@example.com'] });
    const segment = await fetch(`${app.url}/api/segments`, {
      method: 'POST',
      headers: { ...app.admin, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Clientes del boletín', filter: { tags: [TAG] } }),
    });
    expect(segment.status).toBe(201);
    const eva = await person(WA_TAG, { name: 'Eva Mar', locale: 'es', consent: 'all' });
    await openConversation({
      channel: 'whatsapp',
      platformConversationId: '34611000111',
      platformUserId: '34611000111',
      contactId: eva.id,
    });
    const waSegment = await fetch(`${app.url}/api/segments`, {
      method: 'POST',
      headers: { ...app.admin, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Clientes WhatsApp', filter: { tags: [WA_TAG] } }),
    });
    expect(waSegment.status).toBe(201);
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await app?.stop();
    await sink?.close();
    await graph?.close();
  });

  async function pageAs(role: 'marketer' | 'viewer' | 'agent', locale: string, viewport = DESKTOP) {
    const context = await newConsoleContext(browser, { locale, viewport });
    contexts.push(context);
    await signInAs(context, app.url, role);
    return context.newPage();
  }

  it('a marketer creates a campaign, sees its audience, tests, sends it and watches the report', async () => {
    const page = await pageAs('marketer', 'es-ES');
    await openConsole(page, app.url, '/campaigns');
    await page.getByTestId('campaign-add').click();
    await page.getByTestId('campaign-name').fill('Boletín de prueba');
    await page.getByTestId('campaign-segment').click();
    await page.getByRole('option', { name: 'Clientes del boletín' }).click();

    const audience = page.getByTestId('campaign-audience');
    await expect
      .poll(() => audience.innerText(), { timeout: 30_000 })
      .toContain('La recibirán 3 personas');
    expect(await audience.innerText()).toContain('de 4 contactos del segmento');
    const noConsent = page.getByTestId('campaign-exclusions').locator('[data-reason="no_consent"]');
    expect(await noConsent.innerText()).toMatch(/1\s*·\s*Sin consentimiento de marketing/);

    await page.getByTestId('campaign-subject-es').fill('Novedades para {{contact.name}}');
    await page
      .getByTestId('campaign-text-es')
      .fill('Hola {{contact.name}}, <b>no es HTML</b> https://tienda.example.com');
    const preview = page.getByTestId('campaign-preview-es');
    const previewText = await preview.innerText();
    // Filled for a sample contact of the audience, the markup shown as typed, the footer added.
    expect(previewText).toMatch(/Hola (Ana Ruiz|Beto Sanz|Carla Vidal), <b>no es HTML<\/b>/);
    expect(previewText).toContain('date de baja aquí');
    expect(await preview.locator('b').count()).toBe(0);

    await page.getByTestId('campaign-add-variant').click();
    await page.getByTestId('variant-0-subject-es').fill('Asunto B');
    await page.getByTestId('variant-0-text-es').fill('Texto B para {{contact.name}}');
    expect(await page.getByTestId('campaign-main-share').innerText()).toContain('50');

    await page.getByTestId('campaign-save').click();
    await page.waitForURL(/\/console\/campaigns\/[0-9a-f]{24}$/, { timeout: 30_000 });
    campaignId = page.url().split('/').pop()!;
    const stored = await Campaign.findById(campaignId).lean();
    expect(stored).toMatchObject({
      name: 'Boletín de prueba',
      channel: 'email',
      status: 'draft',
      message: {
        es: {
          subject: 'Novedades para {{contact.name}}',
          text: 'Hola {{contact.name}}, <b>no es HTML</b> https://tienda.example.com',
        },
      },
    });
    expect((stored!.message as Record<string, unknown>).en).toBeUndefined();
    expect(stored!.variants).toEqual([
      {
        name: 'B',
        weight: 50,
        message: { es: { subject: 'Asunto B', text: 'Texto B para {{contact.name}}' } },
      },
    ]);

    // The report of the draft: nobody sent yet.
    await openConsole(page, app.url, `/campaigns/${campaignId}/report`);
    expect(await page.getByTestId('funnel-sent').innerText()).toBe('0');

    await openConsole(page, app.url, `/campaigns/${campaignId}`);
    const toMe = () => sink.mails.filter((m) => m.envelopeTo.includes('marco@example.com'));
    await page.getByTestId('campaign-test').click();
    await expect.poll(() => toMe().length, { timeout: 30_000 }).toBe(1);
    expect(toMe()[0]!.parsed.subject).toBe('[Prueba] Novedades para Marco Marketing');
    await page.getByTestId('campaign-test-variant').click();
    await page.getByRole('option', { name: 'Variante B' }).click();
    await page.getByTestId('campaign-test').click();
    await expect.poll(() => toMe().length, { timeout: 30_000 }).toBe(2);
    expect(toMe()[1]!.parsed.subject).toBe('[Prueba] Asunto B');

    await page.getByTestId('campaign-send').click();
    const dialog = page.getByRole('dialog');
    expect(await dialog.innerText()).toContain('¿Enviar «Boletín de prueba» a 3 personas ahora?');
    await dialog.getByTestId('campaign-send-confirm').click();
    await expect
      .poll(() => page.getByTestId('campaign-status').innerText(), { timeout: 30_000 })
      .toMatch(/ENVIÁNDOSE|ENVIADA/i);
    // The editor is read-only once sent.
    expect(await page.getByTestId('campaign-name').isDisabled()).toBe(true);

    await openConsole(page, app.url, `/campaigns/${campaignId}/report`);
    await expect
      .poll(() => page.getByTestId('funnel-sent').innerText(), { timeout: 60_000 })
      .toBe('3');
    expect(await page.getByTestId('funnel-queued').innerText()).toBe('3');
    const customers = sink.mails.filter((m) => /camp-\d@example\.com/.test(m.envelopeTo.join()));
    expect(customers).toHaveLength(3);
    expect(sink.mails.some((m) => m.envelopeTo.includes('camp-no@example.com'))).toBe(false);

    await page.getByTestId('campaign-recipients-filter').click();
    await page.getByRole('option', { name: 'Enviados' }).click();
    await expect
      .poll(() => page.getByTestId('campaign-recipient').count(), { timeout: 30_000 })
      .toBe(3);
    expect(await page.getByTestId('campaign-csv').getAttribute('href')).toBe(
      `/api/campaigns/${campaignId}/report.csv`,
    );

    await openConsole(page, app.url, '/campaigns');
    const row = page.getByTestId('campaign-row').filter({ hasText: 'Boletín de prueba' });
    expect(await row.locator('[data-figure="sent"]').innerText()).toBe('3');
  }, 180_000);

  it('a marketer schedules a draft for later with quiet hours, then cancels it, each confirmed', async () => {
    const segment = await Campaign.findById(campaignId).lean();
    const created = await fetch(`${app.url}/api/campaigns`, {
      method: 'POST',
      headers: { ...app.admin, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'Para más tarde',
        segmentId: segment!.segmentId.toHexString(),
        channel: 'telegram',
        message: { en: { text: 'See you {{contact.name}}' } },
      }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const page = await pageAs('marketer', 'en-GB');
    await openConsole(page, app.url, `/campaigns/${id}`);
    // A chat channel: no subject field, the chat footer in the preview.
    expect(await page.getByTestId('campaign-subject-en').count()).toBe(0);
    await expect
      .poll(() => page.getByTestId('campaign-preview-en').innerText(), { timeout: 30_000 })
      .toContain('reply STOP');
    await page.getByRole('radio', { name: 'At a set time' }).check();
    await page.getByTestId('campaign-send-at').fill('2099-03-01T10:30');
    await page.getByTestId('campaign-quiet').check();
    await page.getByTestId('campaign-quiet-start').fill('22:00');
    await page.getByTestId('campaign-quiet-end').fill('08:00');
    await page.getByTestId('campaign-save').click();
    await expect
      .poll(async () => (await Campaign.findById(id).lean())?.sendAt ?? null, { timeout: 30_000 })
      .not.toBeNull();
    const scheduled = await Campaign.findById(id).lean();
    expect(new Date(scheduled!.sendAt!).getUTCFullYear()).toBe(2099);
    expect(scheduled!.quietHours).toMatchObject({ start: '22:00', end: '08:00' });

    await page.getByTestId('campaign-send').click();
    expect(await page.getByRole('dialog').innerText()).toContain('Schedule “Para más tarde” for');
    await page.getByTestId('campaign-send-confirm').click();
    await expect
      .poll(() => page.getByTestId('campaign-status').innerText(), { timeout: 30_000 })
      .toMatch(/scheduled/i);
    await page.getByTestId('campaign-cancel').click();
    await page.getByTestId('campaign-cancel-confirm').click();
    await expect
      .poll(async () => (await Campaign.findById(id).lean())?.status, { timeout: 30_000 })
      .toBe('cancelled');
    await expect
      .poll(() => page.getByTestId('campaign-status').innerText(), { timeout: 30_000 })
      .toMatch(/cancelled/i);
  }, 120_000);

  it('a WhatsApp campaign: the marketer syncs the templates, picks one and fills its variables', async () => {
    const page = await pageAs('marketer', 'es-ES');
    await openConsole(page, app.url, '/campaigns/new');
    await page.getByTestId('campaign-name').fill('Promo WhatsApp');
    await page.getByTestId('campaign-segment').click();
    await page.getByRole('option', { name: 'Clientes WhatsApp' }).click();
    await page.getByTestId('campaign-channel').click();
    await page.getByRole('option', { name: 'WhatsApp' }).click();
    await expect
      .poll(() => page.getByTestId('campaign-audience').innerText(), { timeout: 30_000 })
      .toContain('La recibirá 1 persona');
    expect(await page.getByTestId('campaign-text-es').count()).toBe(0);
    await page.getByTestId('campaign-template-sync').click();
    await page.getByTestId('campaign-template-select').click();
    await page.getByRole('option', { name: 'promo (es)' }).click();
    await page.getByTestId('campaign-template-var-1').fill('{{contact.name}}');
    await page.getByTestId('campaign-template-var-2').fill('<b>20 %</b>');
    const preview = page.getByTestId('campaign-template-preview');
    await expect
      .poll(() => preview.innerText(), { timeout: 10_000 })
      .toBe('Hola Eva Mar, <b>20 %</b> de descuento. Responde BAJA.');
    expect(await preview.locator('b').count()).toBe(0);
    await page.getByTestId('campaign-save').click();
    await page.waitForURL(/\/console\/campaigns\/[0-9a-f]{24}$/, { timeout: 30_000 });
    const stored = await Campaign.findById(page.url().split('/').pop()!).lean();
    expect(stored).toMatchObject({
      channel: 'whatsapp',
      message: {},
      template: { name: 'promo', language: 'es', variables: ['{{contact.name}}', '<b>20 %</b>'] },
    });
    expect(await page.getByTestId('campaign-test').count()).toBe(0);
  }, 120_000);

  it('a viewer reads without creating or acting; an agent is refused (phone, English)', async () => {
    const viewer = await pageAs('viewer', 'en-GB', PHONE);
    await openConsole(viewer, app.url, '/campaigns');
    await viewer.getByTestId('campaign-row').first().waitFor();
    expect(await viewer.getByTestId('campaign-add').count()).toBe(0);
    expect(await pageOverflowsX(viewer)).toBe(false);
    await openConsole(viewer, app.url, `/campaigns/${campaignId}`);
    await viewer.getByTestId('campaign-name').waitFor();
    expect(await viewer.getByTestId('campaign-name').isDisabled()).toBe(true);
    expect(await viewer.getByTestId('campaign-actions').count()).toBe(0);
    expect(await pageOverflowsX(viewer)).toBe(false);
    await openConsole(viewer, app.url, `/campaigns/${campaignId}/report`);
    await viewer.getByTestId('campaign-recipient').first().waitFor();
    expect(await viewer.getByTestId('funnel-sent').innerText()).toBe('3');
    expect(await pageOverflowsX(viewer)).toBe(false);
    await openConsole(viewer, app.url, '/campaigns/new');
    await viewer.getByTestId('forbidden').waitFor();

    const agent = await pageAs('agent', 'en-GB', PHONE);
    await openConsole(agent, app.url, '/campaigns');
    await agent.getByTestId('forbidden').waitFor();
    const refused = await agent.context().request.get(`${app.url}/api/campaigns`);
    expect(refused.status()).toBe(403);
  }, 120_000);
});
