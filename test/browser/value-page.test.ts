/**
 * The customer value page and the contact page's value and orders in Chromium against a real
 * Charla with seeded orders: the model fitted by the job, the parameters in words, the at-risk
 * list with its reasons, top customers, the RFM grid and the backtest's error figures; the
 * contact's value block and orders (status, tracking link); Spanish; no page-wide scroll on a
 * phone.
 */
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSeedUsers } from '../../scripts/console-seed.js';
import { Case } from '../../src/kernel/db/models/case.js';
import { Contact } from '../../src/kernel/db/models/contact.js';
import { Conversation } from '../../src/kernel/db/models/conversation.js';
import { Lead } from '../../src/kernel/db/models/lead.js';
import { runPropensity } from '../../src/features/propensity/index.js';
import { staffWithRole } from '../features/auth/staff-client.js';
import { eventually, startTestApp, type TestApp } from '../support/app.js';
import {
  PHONE,
  ensureConsoleBuilt,
  launchChromium,
  newConsoleContext,
  openConsole,
  pageOverflowsX,
  signInAs,
} from './console-support.js';

const DAY = 86_400_000;
const every = (step: number, from: number, to: number) =>
  Array.from({ length: Math.floor((to - from) / step) + 1 }, (_, k) => from + k * step);

function ordersOf(id: string, daysAgo: number[], amount: number) {
  return daysAgo.map((d, i) => ({
    externalId: `${id}-${i}`,
    customer: { externalId: id, name: `Cliente ${id}` },
    placedAt: new Date(Date.now() - d * DAY).toISOString(),
    amount,
    currency: 'EUR',
    status: 'delivered' as const,
  }));
}

describe('console value page', () => {
  let app: TestApp;
  let browser: Browser;
  let troubleId = '';
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    ensureConsoleBuilt();
    app = await startTestApp();
    await createSeedUsers(app.url, app.admin);
    const marketer = await staffWithRole(app, 'marketer');
    const orders = [];
    for (let i = 0; i < 30; i++)
      orders.push(...ordersOf(`steady-${i}`, every(14, 2 + (i % 10), 300), 20));
    for (let i = 0; i < 15; i++)
      orders.push(...ordersOf(`lapsed-${i}`, every(7, 250 + i, 400), 30));
    for (let i = 0; i < 15; i++) orders.push(...ordersOf(`once-${i}`, [1 + i * 13], 10));
    orders.push(...ordersOf('vip-trouble', every(14, 2, 300), 40));
    orders.push({
      ...ordersOf('vip-trouble', [1], 55)[0]!,
      externalId: 'vip-trouble-shipped',
      number: 'A-1001',
      status: 'shipped' as const,
      trackingUrl: 'https://track.example.com/A-1001',
    });
    expect((await marketer.call('POST', '/api/orders', { orders })).status).toBe(200);
    const trouble = await Contact.findOne({ externalIds: 'vip-trouble' }).lean();
    troubleId = trouble!._id.toHexString();
    await Conversation.create({
      contactId: trouble!._id,
      channel: 'webchat',
      platformConversationId: 'value-page-1',
      platformUserId: 'value-page-1',
      sentiment: { trend: [], frustratedAt: new Date(Date.now() - 2 * DAY) },
    });
    await Case.create({
      number: 'CS-VALUE-1',
      contactId: trouble!._id,
      channel: 'webchat',
      timeline: [
        { at: new Date(Date.now() - 5 * DAY), kind: 'status', from: 'open', to: 'resolved' },
        { at: new Date(Date.now() - 3 * DAY), kind: 'status', from: 'resolved', to: 'open' },
      ],
    });
    expect((await marketer.call('POST', '/api/value/fit', {})).status).toBe(202);
    await eventually(async () => {
      const r = await marketer.call('GET', '/api/value/model');
      return r.status === 200 && r.body.bgnbd ? r : undefined;
    }, 120_000);
    browser = await launchChromium();
  }, 240_000);
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await app?.stop();
  });

  const context = async (opts: Parameters<typeof newConsoleContext>[1] = {}) => {
    const ctx = await newConsoleContext(browser, opts);
    contexts.push(ctx);
    await signInAs(ctx, app.url, 'marketer');
    return ctx;
  };

  it('shows the model in words, the at-risk list with reasons, top customers, RFM and the backtest', async () => {
    const page = await (await context()).newPage();
    await openConsole(page, app.url, '/value');
    await expect
      .poll(() => page.locator('h1').textContent(), { timeout: 30_000 })
      .toBe('Customer value');
    await page.getByTestId('value-params').waitFor();
    expect(await page.getByTestId('value-params').textContent()).toMatch(
      /about once every [\d.]+ weeks/,
    );
    const trouble = page.getByTestId('at-risk-row').filter({ hasText: 'Cliente vip-trouble' });
    await trouble.waitFor();
    const text = await trouble.textContent();
    expect(text).toContain('a case was reopened');
    expect(text).toContain('frustrated in a conversation');
    expect(await page.getByTestId('at-risk-row').count()).toBe(16);
    await expect.poll(() => page.getByTestId('top-row').count()).toBe(10);
    expect(await page.getByTestId('top-row').first().textContent()).toContain(
      'Cliente vip-trouble',
    );
    const grid = await page.getByTestId('value-rfm').locator('td').allTextContents();
    expect(grid.map(Number).reduce((a, b) => a + b, 0)).toBe(61);
    await page.getByTestId('backtest-errors').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('backtest-errors').textContent()).toMatch(
      /Holdout: \d+ predicted, \d+ actual/,
    );
    expect(
      await page.getByTestId('value-backtest').locator('.recharts-line').count(),
    ).toBeGreaterThan(0);
  }, 120_000);

  it('the contact page shows the value block and the orders with the tracking link', async () => {
    const page = await (await context()).newPage();
    await openConsole(page, app.url, `/contacts/${troubleId}`);
    await page.getByTestId('contact-value').waitFor({ timeout: 30_000 });
    await page.getByTestId('contact-at-risk').waitFor();
    expect(await page.getByTestId('contact-value').textContent()).toContain('a case was reopened');
    const shipped = page.getByTestId('contact-order').filter({ hasText: '#A-1001' });
    await shipped.waitFor();
    expect(await shipped.textContent()).toContain('shipped');
    expect(await shipped.getByRole('link').getAttribute('href')).toBe(
      'https://track.example.com/A-1001',
    );
    expect(await page.getByTestId('contact-order').count()).toBe(20);
  }, 90_000);

  it('shows the lead model: the rule-score fallback, then the time-split AUC and top factors', async () => {
    expect((await runPropensity()).status).toBe('rule_fallback');
    const page = await (await context()).newPage();
    await openConsole(page, app.url, '/value');
    const card = page.getByTestId('value-propensity');
    await page.getByTestId('propensity-fallback').waitFor({ timeout: 30_000 });
    expect(await card.textContent()).toContain(
      'Rule score for now: the model needs at least 30 won or lost leads (5 of each) and has 0',
    );
    // A history where asking about pricing wins: 60 closed leads an hour apart, then a fit.
    const at = Date.UTC(2026, 2, 1);
    await Lead.collection.insertMany(
      Array.from({ length: 60 }, (_, i) => ({
        channel: 'webchat',
        language: 'es',
        intentsSeen: i % 2 ? ['greeting', 'pricing'] : ['greeting'],
        status: (i % 2 ? i % 10 !== 1 : i % 10 === 4) ? 'won' : 'lost',
        score: 0,
        scoreReasons: [],
        tags: [],
        marketingConsent: false,
        createdAt: new Date(at + i * 3_600_000),
        updatedAt: new Date(at + i * 3_600_000),
      })),
    );
    const view = await runPropensity();
    expect(view.status).toBe('model');
    expect(view.auc).not.toBeNull();
    await page.reload();
    const auc = page.getByTestId('propensity-auc');
    await auc.waitFor({ timeout: 30_000 });
    expect(await auc.textContent()).toBe(
      `Checked on the newest leads: trained on the older 45, tested on the newer 15, it ranks a won lead above a lost one ${Math.round(view.auc! * 100)} % of the time (AUC ${Math.round(view.auc! * 100) / 100}; 50 % is a coin toss).`,
    );
    expect(await page.getByTestId('propensity-top').locator('li').first().textContent()).toBe(
      '▲ asked about pricing',
    );
  }, 120_000);

  it('reads in Spanish and fits a phone', async () => {
    const page = await (await context({ locale: 'es-ES', viewport: PHONE })).newPage();
    await openConsole(page, app.url, '/value');
    await expect
      .poll(() => page.locator('h1').textContent(), { timeout: 30_000 })
      .toBe('Valor de cliente');
    await page.getByTestId('at-risk-row').first().waitFor();
    expect(await page.getByTestId('value-at-risk').textContent()).toContain('se reabrió un caso');
    await page.getByTestId('backtest-errors').waitFor({ timeout: 60_000 });
    await page.getByTestId('propensity-auc').waitFor();
    expect(await page.getByTestId('propensity-auc').textContent()).toContain(
      'coloca un lead ganado por encima de uno perdido',
    );
    expect(await pageOverflowsX(page)).toBe(false);
    // The at-risk and top tables fit their cards (secondary columns stack under the name): no
    // sideways scroll inside them either.
    for (const card of ['value-at-risk', 'value-top']) {
      const fits = await page
        .getByTestId(card)
        .evaluate(
          (el) =>
            el.querySelector('table')!.getBoundingClientRect().width <=
            el.getBoundingClientRect().width,
        );
      expect(fits, card).toBe(true);
    }
  }, 120_000);
});
