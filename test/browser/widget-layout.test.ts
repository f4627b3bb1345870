/**
 * The widget at the lead form's summary in a real Chromium, in Spanish and English, at 1280 and
 * 375 px: the Yes/No buttons render and the summary (the last message) stays fully visible;
 * Escape closes the panel; the demo page has a favicon. An English visitor's browser locale
 * (en-GB) makes "07911 123456" a UK number. Screenshots go to WEBCHAT_SCREENSHOT_DIR.
 */
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Lead } from '../../src/kernel/db/models/lead.js';
import { eventually, startTestApp, type TestApp } from '../support/app.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOT_DIR = process.env.WEBCHAT_SCREENSHOT_DIR ?? tmpdir();

const SCRIPTS = {
  es: {
    browser: 'es-ES',
    start: 'Hola, quiero una cotización para mi empresa',
    answers: {
      name: 'Lucía Fernández',
      email: 'lucia@cafeteria-lucía.es',
      phone: '612 345 678',
      company: 'Cafetería Lucía SL',
      marketing_consent: 'sí',
    } as Record<string, string>,
    phone: '+34612345678',
  },
  en: {
    browser: 'en-GB',
    start: "Hi, I'd like a quote for my company",
    answers: {
      name: 'Oliver Hughes',
      email: 'oliver@hughes.example',
      phone: '07911 123456',
      company: 'Hughes Ltd',
      marketing_consent: 'no',
    } as Record<string, string>,
    phone: '+447911123456',
  },
};

describe('web chat widget: last message visible, Escape, favicon', () => {
  let app: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}`);
    app = await startTestApp();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  /** The awaited slot of the last bot message once the reply to the n-th visitor message came. */
  async function lastSlot(page: Page, inbound: number): Promise<string | null> {
    const bot = page.locator('[data-testid="charla-message"][data-author="bot"]');
    await eventually(async () => {
      const pending = await page.locator('[data-pending]').count();
      const typing = await page.getByTestId('charla-typing').count();
      const mine = await page
        .locator('[data-testid="charla-message"][data-author="customer"]')
        .count();
      return pending === 0 && typing === 0 && mine >= inbound && (await bot.count()) >= inbound;
    });
    return bot.last().getAttribute('data-awaiting-slot');
  }

  async function say(page: Page, text: string) {
    await page.getByTestId('charla-input').fill(text);
    await page.getByTestId('charla-input').press('Enter');
  }

  for (const language of ['es', 'en'] as const) {
    for (const width of [1280, 375]) {
      it(`${language} at ${width} px: the summary stays fully visible above Yes/No`, async () => {
        const script = SCRIPTS[language];
        const context = await browser.newContext({
          locale: script.browser,
          viewport: { width, height: width > 500 ? 800 : 740 },
        });
        const page = await context.newPage();
        await page.goto(`${app.url}/`);
        expect(await page.locator('link[rel="icon"]').count()).toBe(1);
        await page.getByTestId('charla-launcher').click();
        await say(page, script.start);
        let inbound = 1;
        let slot = await lastSlot(page, inbound);
        for (let i = 0; slot && slot !== 'confirm' && i < 10; i++) {
          await say(page, script.answers[slot] ?? 'skip');
          slot = await lastSlot(page, ++inbound);
        }
        expect(slot).toBe('confirm');
        await expect(page.getByTestId('charla-quick-reply').count()).resolves.toBe(2);
        const last = page.locator('[data-testid="charla-message"]').last();
        await expect(last.textContent()).resolves.toContain(script.phone);
        // Fully inside the scrolled list's visible box.
        await eventually(async () => {
          const box = await last.boundingBox();
          const view = await page.getByTestId('charla-messages').boundingBox();
          return Boolean(
            box && view && box.y >= view.y - 1 && box.y + box.height <= view.y + view.height + 1,
          );
        });
        await page.screenshot({
          path: path.join(SCREENSHOT_DIR, `webchat-summary-${language}-${width}.png`),
        });

        await page.getByTestId('charla-input').focus();
        await page.keyboard.press('Escape');
        await expect(page.getByTestId('charla-panel').isHidden()).resolves.toBe(true);
        await page.getByTestId('charla-quick-reply').count();

        if (width === 1280) {
          await page.getByTestId('charla-launcher').click();
          await page.getByTestId('charla-quick-reply').first().click();
          // The consent record is written right after the lead: wait for both.
          const lead = await eventually(async () => {
            const found = await Lead.findOne({ email: script.answers.email }).lean();
            return found && found.marketingConsent === (language === 'es') ? found : null;
          });
          expect(lead).toMatchObject({ phone: script.phone, channel: 'webchat' });
          expect(lead.marketingConsent).toBe(language === 'es');
        }
        await context.close();
      }, 120_000);
    }
  }
});
