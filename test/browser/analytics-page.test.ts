/**
 * The analytics page in Chromium against a real Charla with seeded conversations rolled up by
 * the real job: the KPI cards show the API's figures in Spanish and English, the charts render,
 * a chart's CSV downloads with its header, an empty range shows the empty state, the filters
 * stay in the URL, a 360 px phone gets no page-wide scroll, and an agent is not allowed.
 */
import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedConsoleData } from '../../scripts/console-seed.js';
import { Campaign, CampaignRecipient } from '../../src/features/campaigns/models.js';
import { Contact } from '../../src/kernel/db/models/contact.js';
import { startTestApp, type TestApp } from '../support/app.js';
import {
  PHONE,
  ensureConsoleBuilt,
  launchChromium,
  newConsoleContext,
  openConsole,
  pageOverflowsX,
  signInAs,
} from './console-support.js';

describe('console analytics page', () => {
  let app: TestApp;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let conversations = 0;

  beforeAll(async () => {
    ensureConsoleBuilt();
    app = await startTestApp({}, { analyticsIntervalMs: 3_600_000 });
    await seedConsoleData(app.url, app.admin);
    await app.charla.services.analytics!.runOnce({ settleMs: 0 });
    // Revenue: three orders in the last days, one of them two days after a campaign's send.
    const DAY = 86_400_000;
    const orders = [
      ['rev-a', 'cliente-a', 3, 120],
      ['rev-b', 'cliente-b', 2, 35.5],
      ['rev-c', 'cliente-b', 1, 44.5],
    ].map(([externalId, customer, daysAgo, amount]) => ({
      externalId,
      customer: { externalId: customer, name: `Cliente ${customer}` },
      placedAt: new Date(Date.now() - (daysAgo as number) * DAY).toISOString(),
      amount,
      currency: 'EUR',
      status: 'delivered',
    }));
    const placed = await fetch(`${app.url}/api/orders`, {
      method: 'POST',
      headers: { ...app.admin, 'content-type': 'application/json' },
      body: JSON.stringify({ orders }),
    });
    expect(placed.status).toBe(200);
    const a = (await Contact.findOne({ externalIds: 'cliente-a' }).lean())!;
    const campaign = await Campaign.create({
      name: 'Rebajas de <primavera>',
      segmentId: a._id,
      channel: 'email',
      status: 'done',
      message: { es: { subject: 'Hola', text: 'Rebajas' } },
    });
    await CampaignRecipient.create({
      campaignId: campaign._id,
      contactId: a._id,
      addressKey: 'email:cliente-a@example.com',
      state: 'sent',
      sentAt: new Date(Date.now() - 5 * DAY),
    });
    const res = await fetch(`${app.url}/api/analytics/summary`, { headers: app.admin });
    conversations = ((await res.json()) as { conversations: number }).conversations;
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await app?.stop();
  });

  const context = async (opts: Parameters<typeof newConsoleContext>[1] = {}) => {
    const ctx = await newConsoleContext(browser, opts);
    contexts.push(ctx);
    return ctx;
  };

  it('shows the figures, charts and CSV in English and Spanish', async () => {
    expect(conversations).toBeGreaterThan(0);
    for (const [locale, title, label] of [
      ['en-GB', 'Analytics', 'Conversations'],
      ['es-ES', 'Analítica', 'Conversaciones'],
    ] as const) {
      const ctx = await context({ locale });
      await signInAs(ctx, app.url, 'marketer');
      const page = await ctx.newPage();
      await openConsole(page, app.url, '/analytics');
      await expect.poll(() => page.locator('h1').textContent()).toBe(title);
      const card = page.getByTestId('kpi-conversations');
      await expect.poll(() => card.textContent()).toContain(String(conversations));
      expect(await card.textContent()).toContain(label);
      await expect.poll(() => page.locator('.recharts-surface').count()).toBeGreaterThanOrEqual(5);
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: /funnel|embudo/i }).click(),
      ]);
      const csv = readFileSync((await download.path())!, 'utf8');
      expect(csv.startsWith('\uFEFF')).toBe(true);
      expect(csv).toContain(`${label},${conversations}`);

      // The agent report: the server's rows (or its empty line), and its CSV link.
      const res = await fetch(`${app.url}/api/analytics/agents`, { headers: app.admin });
      const report = (await res.json()) as { agents: unknown[]; teams: unknown[] };
      const section = page.getByTestId('agent-report');
      await section.waitFor();
      expect(await section.locator('h2').textContent()).toBe(
        locale === 'en-GB' ? 'Agents and teams' : 'Agentes y equipos',
      );
      await expect
        .poll(() => section.getByTestId('agent-report-row').count())
        .toBe(report.agents.length + report.teams.length);
      if (report.agents.length + report.teams.length === 0) {
        expect(await section.textContent()).toMatch(
          /No conversations handled|Ninguna conversación/,
        );
      }
      const link = section.getByTestId('agent-report-csv');
      expect(await link.textContent()).toBe(locale === 'en-GB' ? 'Download CSV' : 'Descargar CSV');
      const href = (await link.getAttribute('href'))!;
      expect(href.startsWith('/api/analytics/agents.csv')).toBe(true);
      const agentsCsv = await page.request.get(`${app.url}${href}`);
      expect(agentsCsv.status()).toBe(200);
      expect(agentsCsv.headers()['content-type']).toContain('text/csv');

      // Revenue: the API's figures, the campaign's order, definitions and the CSV link.
      const revenue = page.getByTestId('revenue-report');
      await revenue.getByTestId('revenue-orders').waitFor();
      expect(await revenue.locator('h2').first().textContent()).toBe(
        locale === 'en-GB' ? 'Revenue' : 'Ingresos',
      );
      expect(await revenue.getByTestId('revenue-orders').textContent()).toContain('3');
      expect(await revenue.getByTestId('revenue-revenue').textContent()).toMatch(/200[.,]00/);
      expect(await revenue.getByTestId('revenue-campaign').textContent()).toMatch(/120[.,]00/);
      expect(await revenue.getByTestId('revenue-campaign').textContent()).toMatch(/60/);
      const byCampaign = revenue.getByTestId('revenue-by-campaign');
      expect(await byCampaign.textContent()).toContain('Rebajas de <primavera>');
      expect(await byCampaign.locator('b, primavera').count()).toBe(0);
      expect(await revenue.getByTestId('revenue-by-channel').textContent()).toContain(
        locale === 'en-GB' ? 'No touch' : 'Sin contacto',
      );
      expect(await revenue.getByTestId('revenue-definitions').textContent()).toContain(
        locale === 'en-GB'
          ? 'in the 7 days before the order'
          : 'en los 7 días anteriores al pedido',
      );
      expect(await revenue.locator('.recharts-surface').count()).toBe(1);
      const revenueHref = (await revenue.getByTestId('revenue-csv').getAttribute('href'))!;
      expect(revenueHref.startsWith('/api/analytics/revenue.csv')).toBe(true);
      const revenueCsv = await page.request.get(`${app.url}${revenueHref}`);
      expect(revenueCsv.status()).toBe(200);
      expect(await revenueCsv.text()).toContain(',1,120,1,120,0,0,0,0,EUR');
    }
  });

  it('keeps the filters in the URL and shows the empty state for a range without data', async () => {
    const ctx = await context();
    await signInAs(ctx, app.url, 'viewer');
    const page = await ctx.newPage();
    await openConsole(page, app.url, '/analytics?from=2020-01-01&to=2020-01-31&language=en');
    await page.getByTestId('empty-state').waitFor();
    await page.getByTestId('revenue-empty').waitFor();
    expect(await page.getByLabel('From').inputValue()).toBe('2020-01-01');
    await page.getByLabel('From').fill('2020-01-05');
    await expect.poll(() => new URL(page.url()).searchParams.get('from')).toBe('2020-01-05');
    expect(new URL(page.url()).searchParams.get('language')).toBe('en');
  });

  it('fits a 360 px phone, and an agent is not allowed', async () => {
    const phone = await context({ viewport: PHONE });
    await signInAs(phone, app.url, 'marketer');
    const page = await phone.newPage();
    await openConsole(page, app.url, '/analytics');
    await page.getByTestId('kpi-conversations').waitFor();
    await page.getByTestId('revenue-by-campaign').waitFor();
    expect(await pageOverflowsX(page)).toBe(false);
    const agentCtx = await context();
    await signInAs(agentCtx, app.url, 'agent');
    const agentPage = await agentCtx.newPage();
    await agentPage.goto(`${app.url}/console/analytics`);
    await agentPage.getByTestId('forbidden').waitFor();
  });
});
