/**
 * Ongoing web chat campaigns (issue 21.2): marketers write them (audited, 4xx on bad input,
 * others refused); the widget's endpoint offers the first enabled campaign whose URL pattern
 * matches, to returning visitors only with web chat marketing consent, and each visitor at most
 * once; a reply after the teaser counts as the campaign's reply.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setMarketingConsent } from '../../../src/kernel/db/contacts.js';
import { AuditEntry } from '../../../src/kernel/db/models/audit-entry.js';
import { Conversation } from '../../../src/kernel/db/models/conversation.js';
import {
  OngoingCampaign,
  OngoingImpression,
  urlMatches,
} from '../../../src/features/campaigns/ongoing.js';
import { staffWithRole, type Staff } from '../auth/staff-client.js';
import { eventually, startTestApp, type TestApp } from '../../support/app.js';
import { webchatClient } from '../../channels/webchat/client.js';

const visitor = () => `v-${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;

describe('URL patterns', () => {
  it('matches * globs against the whole URL or its path, substrings otherwise', () => {
    expect(urlMatches('/pricing*', 'https://shop.example.com/pricing?plan=pro')).toBe(true);
    expect(urlMatches('/pricing*', 'https://shop.example.com/about/pricing')).toBe(false);
    expect(urlMatches('https://*.example.com/*', 'https://shop.example.com/a')).toBe(true);
    expect(urlMatches('*/checkout', 'https://x.example/cart/checkout')).toBe(true);
    expect(urlMatches('*/checkout', 'https://x.example/checkout/done')).toBe(false);
    expect(urlMatches('/a*b*c', '/a-c-b')).toBe(false);
    expect(urlMatches('/a*b*c', '/a-b-c')).toBe(true);
    expect(urlMatches('ofertas', 'https://x.example/es/ofertas-verano')).toBe(true);
    expect(urlMatches('ofertas', 'https://x.example/es/rebajas')).toBe(false);
    // A pattern that backtracks catastrophically as a regex is linear here.
    const long = 'https://x.example/' + 'a'.repeat(1900);
    expect(urlMatches('*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b', long)).toBe(false);
  });
});

describe('ongoing web chat campaigns', () => {
  let app: TestApp;
  let marketer: Staff;
  let viewer: Staff;
  let agent: Staff;
  let chat: ReturnType<typeof webchatClient>;

  beforeAll(async () => {
    app = await startTestApp();
    marketer = await staffWithRole(app, 'marketer');
    viewer = await staffWithRole(app, 'viewer');
    agent = await staffWithRole(app, 'agent');
    chat = webchatClient(app.url);
    await OngoingCampaign.deleteMany({});
    await OngoingImpression.deleteMany({});
  });
  afterAll(async () => {
    await app?.stop();
  });

  const match = (body: Record<string, unknown>, token?: string) =>
    chat.request('POST', '/api/webchat/campaign', { body, token });
  const shown = (id: string, body: Record<string, unknown>, token?: string) =>
    chat.request('POST', `/api/webchat/campaign/${id}/shown`, { body, token });

  it('is written by marketers only, audited, and refuses bad input with 400', async () => {
    const body = {
      name: 'Precios',
      rules: { urlPattern: '/precios*', secondsOnPage: 2, audience: 'all' },
      message: { es: { text: '¿Dudas con los precios?' }, en: { text: 'Questions on pricing?' } },
    };
    expect((await viewer.call('POST', '/api/ongoing-campaigns', body)).status).toBe(403);
    expect((await agent.call('POST', '/api/ongoing-campaigns', body)).status).toBe(403);
    for (const bad of [
      { ...body, rules: { ...body.rules, secondsOnPage: 3601 } },
      { ...body, rules: { ...body.rules, secondsOnPage: -1 } },
      { ...body, rules: { ...body.rules, urlPattern: '' } },
      { ...body, rules: { ...body.rules, urlPattern: '/a b' } },
      { ...body, rules: { ...body.rules, urlPattern: '/a**' } },
      { ...body, rules: { ...body.rules, audience: 'vip' } },
      { ...body, message: {} },
      { ...body, regex: '(a+)+$' },
    ]) {
      const res = await marketer.call('POST', '/api/ongoing-campaigns', bad);
      expect(res.status, JSON.stringify(bad)).toBe(400);
      expect(res.body.error.code).toBeTruthy();
    }
    expect(await OngoingCampaign.countDocuments({})).toBe(0);

    const created = await marketer.call('POST', '/api/ongoing-campaigns', body);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ enabled: false, counts: { shown: 0, replied: 0 } });
    const id = created.body.id as string;
    expect(
      (await viewer.call('PATCH', `/api/ongoing-campaigns/${id}`, { enabled: true })).status,
    ).toBe(403);
    const enabled = await marketer.call('PATCH', `/api/ongoing-campaigns/${id}`, { enabled: true });
    expect(enabled.status).toBe(200);
    expect(enabled.body.enabled).toBe(true);
    const listed = await viewer.call('GET', '/api/ongoing-campaigns');
    expect(listed.status).toBe(200);
    expect(listed.body.map((c: { id: string }) => c.id)).toContain(id);

    const audit = await AuditEntry.find({ targetId: id }).sort({ _id: 1 }).lean();
    expect(audit.map((a) => a.action)).toEqual([
      'campaign.ongoing_create',
      'campaign.ongoing_update',
    ]);
    expect(audit[1]!.after).toMatchObject({ enabled: true });
    // Off again for the next tests' own campaigns.
    await marketer.call('PATCH', `/api/ongoing-campaigns/${id}`, { enabled: false });
  });

  it('offers a matching campaign once per visitor, none on another URL or when disabled', async () => {
    const created = await marketer.call('POST', '/api/ongoing-campaigns', {
      name: 'Ofertas',
      rules: { urlPattern: '/ofertas*', secondsOnPage: 5, audience: 'all' },
      message: { es: { text: 'Hoy 10 % menos' }, en: { text: '10 % off today' } },
      enabled: true,
    });
    const id = created.body.id as string;
    const v = visitor();
    const onPage = await match({
      url: 'https://shop.example/ofertas/verano',
      visitorId: v,
      locale: 'en',
    });
    expect(onPage.status).toBe(200);
    expect(onPage.body.campaign).toEqual({ id, text: '10 % off today', secondsOnPage: 5 });
    const other = await match({ url: 'https://shop.example/contacto', visitorId: v });
    expect(other.body.campaign).toBeNull();

    const url = 'https://shop.example/ofertas';
    expect((await shown(id, { url, visitorId: v })).body.recorded).toBe(true);
    expect((await shown(id, { url, visitorId: v })).body.recorded).toBe(false);
    expect((await match({ url, visitorId: v })).body.campaign).toBeNull();
    // Another visitor still gets it; a shown on a URL it does not match records nothing.
    const w = visitor();
    expect((await match({ url, visitorId: w })).body.campaign?.id).toBe(id);
    expect((await shown(id, { url: 'https://shop.example/x', visitorId: w })).body.recorded).toBe(
      false,
    );
    expect(await OngoingImpression.countDocuments({ campaignId: id })).toBe(1);

    expect((await match({ url: 'not a url', visitorId: w })).status).toBe(400);
    expect((await match({ url, visitorId: 'short' })).status).toBe(400);

    await marketer.call('PATCH', `/api/ongoing-campaigns/${id}`, { enabled: false });
    expect((await match({ url, visitorId: w })).body.campaign).toBeNull();
    expect((await shown(id, { url, visitorId: w })).status).toBe(404);
  });

  it('an anonymous visitor who saw the teaser and then chats: the same impression, their reply counts', async () => {
    const created = await marketer.call('POST', '/api/ongoing-campaigns', {
      name: 'Ayuda',
      rules: { urlPattern: '/ayuda*', secondsOnPage: 0, audience: 'all' },
      message: { es: { text: '¿Te ayudo?' } },
      enabled: true,
    });
    const id = created.body.id as string;
    const url = 'https://shop.example/ayuda';
    const v = visitor();
    expect((await shown(id, { url, visitorId: v })).body.recorded).toBe(true);
    const s = await chat.createSession('es');
    expect(
      (await shown(id, { url, visitorId: v, sessionId: s.sessionId }, s.token)).body.recorded,
    ).toBe(true);
    const conv = await Conversation.findById(s.conversationId).lean();
    expect(String(conv!.ongoingCampaignId)).toBe(id);
    expect(await OngoingImpression.countDocuments({ campaignId: id })).toBe(1);
    expect(
      (await shown(id, { url, visitorId: v, sessionId: s.sessionId }, s.token)).body.recorded,
    ).toBe(false);
    expect((await chat.post(s, { text: 'Sí, por favor' })).status).toBe(202);
    await eventually(async () => {
      const i = await OngoingImpression.findOne({ campaignId: id }).lean();
      return i?.repliedAt && String(i.contactId) === String(conv!.contactId);
    }, 30_000);
    await marketer.call('PATCH', `/api/ongoing-campaigns/${id}`, { enabled: false });
  }, 60_000);

  it('shows returning-visitor campaigns only to known visitors with web chat consent; a reply counts', async () => {
    const created = await marketer.call('POST', '/api/ongoing-campaigns', {
      name: 'Vuelves',
      rules: { urlPattern: '/tienda*', secondsOnPage: 1, audience: 'returning' },
      message: { es: { text: 'Hola de nuevo' } },
      enabled: true,
    });
    const id = created.body.id as string;
    const url = 'https://shop.example/tienda';
    const s = await chat.createSession('es');
    const known = { url, sessionId: s.sessionId, visitorId: visitor() };

    // Anonymous (no session, or a wrong token): never a returning-visitor campaign.
    expect((await match({ url, visitorId: visitor() })).body.campaign).toBeNull();
    expect((await match(known, 'wrong-token')).body.campaign).toBeNull();
    // Known but no consent yet, then consent for another channel only: not offered.
    expect((await match(known, s.token)).body.campaign).toBeNull();
    const conv = await Conversation.findById(s.conversationId).lean();
    const contactId = conv!.contactId;
    const audit = { actor: 'system', channel: 'console' };
    await setMarketingConsent(contactId, true, { ...audit, scope: 'email' });
    expect((await match(known, s.token)).body.campaign).toBeNull();
    expect((await shown(id, known, s.token)).body.recorded).toBe(false);
    // Consent for web chat: offered, shown once (keyed by the contact, whatever visitorId).
    await setMarketingConsent(contactId, true, { ...audit, scope: 'webchat' });
    expect((await match(known, s.token)).body.campaign).toEqual({
      id,
      text: 'Hola de nuevo',
      secondsOnPage: 1,
    });
    expect((await shown(id, known, s.token)).body.recorded).toBe(true);
    expect((await match({ ...known, visitorId: visitor() }, s.token)).body.campaign).toBeNull();

    // The visitor answers: the campaign's reply.
    const posted = await chat.post(s, { text: 'Hola, busco zapatillas' });
    expect(posted.status).toBe(202);
    await eventually(async () => {
      const i = await OngoingImpression.findOne({ campaignId: id, contactId }).lean();
      return i?.repliedAt;
    }, 30_000);
    const listed = await marketer.call('GET', '/api/ongoing-campaigns');
    const mine = listed.body.find((c: { id: string }) => c.id === id);
    expect(mine.counts).toEqual({ shown: 1, replied: 1 });

    // Consent withdrawn: a returning-visitor campaign is no longer offered to them.
    const again = await marketer.call('POST', '/api/ongoing-campaigns', {
      name: 'Vuelves 2',
      rules: { urlPattern: '/tienda*', secondsOnPage: 1, audience: 'returning' },
      message: { es: { text: 'Otra vez' } },
      enabled: true,
    });
    expect((await match(known, s.token)).body.campaign?.id).toBe(again.body.id);
    await setMarketingConsent(contactId, false, { ...audit, scope: 'webchat' });
    expect((await match(known, s.token)).body.campaign).toBeNull();
  }, 60_000);
});
