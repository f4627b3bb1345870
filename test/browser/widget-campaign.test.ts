/**
 * Ongoing web chat campaigns in the real widget (headless Chromium against a real Charla): on a
 * page whose URL matches, the teaser appears after its seconds on the page — as text, never HTML —
 * and is recorded once; clicking it opens the chat with the message, and the visitor's reply counts
 * as the campaign's. On another URL, and on the same page again, there is none.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OngoingCampaign, OngoingImpression } from '../../src/features/campaigns/ongoing.js';
import { eventually, startTestApp, type TestApp } from '../support/app.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const TEXT = '<b>Hola</b> & 10 % off <img src=x onerror=alert(1)>';

describe('ongoing campaign in the widget', () => {
  let app: TestApp;
  let browser: Browser;
  let campaignId: string;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}`);
    app = await startTestApp();
    const c = await OngoingCampaign.create({
      name: 'Promo',
      rules: { urlPattern: '*promo=1*', secondsOnPage: 2, audience: 'all' },
      message: { en: { text: TEXT }, es: { text: 'Hola' } },
      enabled: true,
    });
    campaignId = c._id.toHexString();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await app?.stop();
  });

  async function newPage(): Promise<Page> {
    const context = await browser.newContext({
      locale: 'en-US',
      viewport: { width: 1200, height: 800 },
    });
    contexts.push(context);
    return context.newPage();
  }
  const matchAnswer = (page: Page) =>
    page.waitForResponse(
      (r) => r.url().endsWith('/api/webchat/campaign') && r.request().method() === 'POST',
      { timeout: 30_000 },
    );

  it('shows the teaser after its seconds on a matching page, once; a click opens the chat and the reply counts', async () => {
    const page = await newPage();
    const answered = matchAnswer(page);
    await page.goto(`${app.url}/?promo=1`);
    const match = await (await answered).json();
    expect(match.campaign).toMatchObject({ id: campaignId, text: TEXT, secondsOnPage: 2 });
    // Wait for it, then compare with when the page started: never before its 2 seconds.
    const teaser = page.getByTestId('charla-teaser');
    await teaser.waitFor({ state: 'visible', timeout: 30_000 });
    const elapsed = await page.evaluate(() => performance.now());
    expect(elapsed).toBeGreaterThanOrEqual(2000);
    expect(await teaser.textContent()).toBe(TEXT);
    expect(await teaser.evaluate((el) => el.querySelector('b, img'))).toBeNull();
    await eventually(async () => (await OngoingImpression.countDocuments({ campaignId })) === 1);

    await teaser.click();
    await page.getByTestId('charla-panel').waitFor({ state: 'visible' });
    const shown = page.getByTestId('charla-campaign');
    expect(await shown.textContent()).toBe(TEXT);
    expect(await teaser.isHidden()).toBe(true);
    await page.getByTestId('charla-input').fill('Tell me more');
    await page.getByTestId('charla-input').press('Enter');
    // The click gave the visitor a session: the impression is now their contact's, and the reply
    // is the campaign's.
    await eventually(async () => {
      const i = await OngoingImpression.findOne({ campaignId }).lean();
      return i?.contactId && i.repliedAt;
    }, 30_000);
    expect(await OngoingImpression.countDocuments({ campaignId })).toBe(1);

    // The same visitor on the page again: not shown twice.
    const again = matchAnswer(page);
    await page.reload();
    expect((await (await again).json()).campaign).toBeNull();
    expect(await page.getByTestId('charla-teaser').isHidden()).toBe(true);
  }, 120_000);

  it('shows nothing on a page whose URL does not match', async () => {
    const page = await newPage();
    const answered = matchAnswer(page);
    await page.goto(`${app.url}/?other=1`);
    expect((await (await answered).json()).campaign).toBeNull();
    expect(await page.getByTestId('charla-teaser').isHidden()).toBe(true);
    expect(await page.getByTestId('charla-launcher').isVisible()).toBe(true);
  }, 60_000);
});
