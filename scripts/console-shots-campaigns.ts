/**
 * Screenshots of the campaigns (issue 21.7) for scripts/console-screenshots.ts, es/en at 1280 and
 * 375 px: the list with headline figures, the editor of a draft (audience with exclusions,
 * content and preview, a variant) and the report of a sent campaign. The contacts, segment and
 * campaigns go through the API; the sent campaign's recipients are written straight to the
 * database (this script's Charla has no mail transport to send them through).
 */
import path from 'node:path';
import { Types } from 'mongoose';
import type { Browser } from 'playwright-core';
import { Campaign, CampaignRecipient, WhatsAppTemplate } from '../src/features/campaigns/models.js';
import { setMarketingConsent } from '../src/kernel/db/contacts.js';
import { openConversation } from '../src/kernel/db/conversations.js';
import { Contact } from '../src/kernel/db/models/contact.js';
import { Lead } from '../src/kernel/db/models/lead.js';
import { SEED_PASSWORD, SEED_USERS } from './console-seed.js';

const VIEWPORTS = { desktop: { width: 1280, height: 800 }, phone: { width: 375, height: 740 } };
const LANGUAGES = { es: 'es-ES', en: 'en-GB' } as const;
const TAG = 'boletin-shots';

const PEOPLE = [
  { name: 'Lucía Romero', locale: 'es', consent: true },
  { name: 'Oliver Grant', locale: 'en', consent: true },
  { name: 'Marta Gil', locale: 'es', consent: true },
  { name: 'Hugo Prieto', locale: 'es', consent: false },
  { name: 'Sara Núñez', locale: 'es', consent: 'revoked' },
  { name: 'Tom Hale', locale: 'en', consent: true, noEmail: true },
] as const;

async function api(
  url: string,
  admin: Record<string, string>,
  method: string,
  p: string,
  body?: unknown,
) {
  const res = await fetch(`${url}${p}`, {
    method,
    headers: { ...admin, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status >= 300) throw new Error(`${method} ${p}: ${res.status} ${await res.text()}`);
  return (await res.json()) as { id: string };
}

async function seedCampaigns(url: string, admin: Record<string, string>) {
  const audit = { actor: 'system', channel: 'console' };
  const contacts: Types.ObjectId[] = [];
  for (const [i, p] of PEOPLE.entries()) {
    const c = await Contact.create({
      name: p.name,
      locale: p.locale,
      emails: 'noEmail' in p ? [] : [`shots-campaign-${i}@example.com`],
    });
    await Lead.create({ contactId: c._id, name: p.name, channel: 'webchat', tags: [TAG] });
    if (p.consent) await setMarketingConsent(c._id, true, audit);
    if (p.consent === 'revoked') await setMarketingConsent(c._id, false, audit);
    contacts.push(c._id);
  }
  const segment = await api(url, admin, 'POST', '/api/segments', {
    name: 'Boletín · clientes con consentimiento',
    filter: { tags: [TAG] },
  });
  const message = {
    es: {
      subject: 'Novedades de diciembre para {{contact.name}}',
      text: 'Hola {{contact.name}},\n\nEste mes abrimos horario de tarde y <b>rebajamos</b> los bonos un 15 %. Reserva en https://tienda.example.com/bonos',
    },
    en: {
      subject: 'December news for {{contact.name}}',
      text: 'Hi {{contact.name}},\n\nThis month we open in the evenings and take 15% off passes. Book at https://tienda.example.com/bonos',
    },
  };
  const draft = await api(url, admin, 'POST', '/api/campaigns', {
    name: 'Boletín de diciembre',
    segmentId: segment.id,
    channel: 'email',
    message,
    variants: [
      {
        name: 'B',
        weight: 30,
        message: {
          es: { subject: '15 % en bonos, {{contact.name}}', text: 'Solo este mes: 15 % en bonos.' },
        },
      },
    ],
  });
  const sent = await api(url, admin, 'POST', '/api/campaigns', {
    name: 'Black Friday · bonos',
    segmentId: segment.id,
    channel: 'email',
    message,
    variants: [
      { name: 'B', weight: 50, message: { es: { subject: 'Black Friday', text: '¡Hoy!' } } },
    ],
  });
  await api(url, admin, 'POST', '/api/campaigns', {
    name: 'Aviso de horario (chat web)',
    segmentId: segment.id,
    channel: 'webchat',
    message: { es: { text: 'Hola {{contact.name}}, desde el lunes abrimos a las 8.' } },
  });
  const sentId = new Types.ObjectId(sent.id);
  const now = Date.now();
  const at = (min: number) => new Date(now - min * 60_000);
  await Campaign.updateOne(
    { _id: sentId },
    { $set: { status: 'done', startedAt: at(600), finishedAt: at(590) } },
  );
  const rows = Array.from({ length: 40 }, (_, i) => {
    const variant = i % 2 ? 'B' : 'A';
    const base = {
      campaignId: sentId,
      contactId: i < contacts.length ? contacts[i]! : new Types.ObjectId(),
      addressKey: `email:bf-${i}@example.com`,
      variant,
      language: i % 3 ? 'es' : 'en',
    };
    if (i % 13 === 5)
      return { ...base, state: 'failed', failedAt: at(595), reason: '550 5.1.1 mailbox unknown' };
    if (i % 17 === 7)
      return { ...base, state: 'skipped', skipped: 'unsubscribed', reason: 'consent withdrawn' };
    const tracked = {
      sentAt: at(595 - i),
      ...(i % (variant === 'A' ? 3 : 5) === (variant === 'A' ? 0 : 1)
        ? { clickedAt: at(500 - i) }
        : {}),
      ...(i % 6 === 0 ? { repliedAt: at(400 - i) } : {}),
      ...(i % 12 === 0 ? { convertedAt: at(300 - i) } : {}),
      ...(i % 19 === 3 ? { unsubscribedAt: at(200 - i) } : {}),
    };
    return { ...base, state: 'sent', ...tracked };
  });
  await CampaignRecipient.insertMany(rows);
  // A WhatsApp draft on an approved template (the stored list, as a sync would leave it).
  await WhatsAppTemplate.create({
    name: 'rebajas_invierno',
    language: 'es',
    status: 'APPROVED',
    category: 'MARKETING',
    body: 'Hola {{1}}, esta semana tienes {{2}} de descuento en toda la tienda. Responde BAJA para no recibir más mensajes.',
    variables: 2,
    syncedAt: new Date(),
  });
  // Lucía and Marta wrote on WhatsApp once: reachable there with a template.
  for (const [i, phone] of [
    [0, '34611000001'],
    [2, '34611000003'],
  ] as const) {
    await openConversation({
      channel: 'whatsapp',
      platformConversationId: phone,
      platformUserId: phone,
      contactId: contacts[i]!,
    });
  }
  const whatsapp = await Campaign.create({
    name: 'Rebajas de invierno (WhatsApp)',
    segmentId: new Types.ObjectId(segment.id),
    channel: 'whatsapp',
    message: {},
    template: { name: 'rebajas_invierno', language: 'es', variables: ['{{contact.name}}', '20 %'] },
  });
  return { draftId: draft.id, sentId: sent.id, whatsappId: whatsapp._id.toHexString() };
}

export async function shootCampaigns(opts: {
  browser: Browser;
  url: string;
  admin: Record<string, string>;
  out: string;
  shots: string[];
  only?: string[];
}): Promise<void> {
  const { browser, url, out, shots, only } = opts;
  const { draftId, sentId, whatsappId } = await seedCampaigns(url, opts.admin);
  for (const [lang, locale] of Object.entries(LANGUAGES)) {
    for (const [device, viewport] of Object.entries(VIEWPORTS)) {
      const context = await browser.newContext({ locale, viewport });
      const login = await context.request.post(`${url}/api/auth/login`, {
        data: { email: SEED_USERS.marketer.email, password: SEED_PASSWORD },
      });
      if (login.status() !== 200) throw new Error(`sign-in marketer: ${login.status()}`);
      const page = await context.newPage();
      const shot = async (name: string) => {
        if (only && !only.includes(name)) return;
        await page.waitForTimeout(400);
        const file = path.join(out, `${name}-${lang}-${device}.png`);
        await page.screenshot({ path: file, fullPage: true });
        shots.push(file);
      };
      await page.goto(`${url}/console/campaigns`);
      await page.getByTestId('campaign-row').first().waitFor();
      await shot('campaigns');
      await page.goto(`${url}/console/campaigns/${draftId}`);
      await page.getByTestId('campaign-audience-count').waitFor();
      await shot('campaign-editor');
      if (!only || only.includes('campaign-editor-whatsapp')) {
        await page.goto(`${url}/console/campaigns/${whatsappId}`);
        await page.getByTestId('campaign-template-preview').waitFor();
        await shot('campaign-editor-whatsapp');
      }
      await page.goto(`${url}/console/campaigns/${sentId}/report`);
      await page.getByTestId('campaign-recipient').first().waitFor();
      await shot('campaign-report');
      await context.close();
    }
  }
}
