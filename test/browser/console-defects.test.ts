/**
 * Defects found walking the console (issue 19), each checked in Chromium against a real Charla:
 * Segments → "View leads" opens the leads table (not /console/console/…); a viewer's scoring page
 * is read-only and promises no preview; picking a lead's current owner keeps it; retyping a tag it
 * already has does not glue onto the next one; analytics names channels and languages and writes
 * the funnel's numbers on its bars; toasts stay clear of the language switch and the user menu.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  seedConsoleData,
  SEED_USERS,
  type SeedRole,
  type SeededData,
} from '../../scripts/console-seed.js';
import { Lead } from '../../src/kernel/db/models/lead.js';
import { startTestApp, type TestApp } from '../support/app.js';
import {
  ensureConsoleBuilt,
  launchChromium,
  newConsoleContext,
  openConsole,
  signInAs,
} from './console-support.js';

describe('console defects from the issue 19 walk', () => {
  let app: TestApp;
  let browser: Browser;
  let seeded: SeededData;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    ensureConsoleBuilt();
    app = await startTestApp({}, { analyticsIntervalMs: 3_600_000 });
    seeded = await seedConsoleData(app.url, app.admin);
    await app.charla.services.analytics!.runOnce({ settleMs: 0 });
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await app?.stop();
  });

  async function pageAs(role: SeedRole, locale = 'en-GB'): Promise<Page> {
    const ctx = await newConsoleContext(browser, { locale });
    contexts.push(ctx);
    await signInAs(ctx, app.url, role);
    return ctx.newPage();
  }

  it(
    'Segments → View leads opens the leads table filtered by the segment',
    { timeout: 60_000 },
    async () => {
      const res = await fetch(`${app.url}/api/segments`, {
        method: 'POST',
        headers: { ...app.admin, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Everyone', filter: {} }),
      });
      const segment = (await res.json()) as { id: string };
      const page = await pageAs('marketer');
      await openConsole(page, app.url, '/segments');
      // The table (desktop) and the cards (phone) are both in the page; one is hidden.
      await page.locator('a:visible', { hasText: 'View leads' }).first().click();
      await page.waitForURL(/\/console\/leads\?/);
      expect(new URL(page.url()).pathname).toBe('/console/leads');
      expect(page.url()).toContain(`segment=${segment.id}`);
      await page.locator('h1', { hasText: 'Pipeline' }).waitFor();
      expect(await page.getByTestId('not-found').count()).toBe(0);
    },
  );

  it("a viewer's scoring page is read-only and promises no preview", async () => {
    const page = await pageAs('viewer');
    await openConsole(page, app.url, '/scoring');
    const editor = page.locator('.cm-content');
    await editor.waitFor();
    expect(await editor.getAttribute('contenteditable')).toBe('false');
    const before = await editor.textContent();
    await editor.click();
    await page.keyboard.type('typed by a viewer');
    expect(await editor.textContent()).toBe(before);
    const body = (await page.locator('main').textContent()) ?? '';
    expect(body).not.toMatch(/preview/i);
    expect(await page.getByRole('button', { name: 'Preview' }).count()).toBe(0);
  });

  it("picking a lead's current owner keeps it; a retyped tag does not glue onto the next", async () => {
    await Lead.updateOne({ _id: seeded.leads.main }, { $set: { tags: ['vip'] } });
    const page = await pageAs('marketer');
    await openConsole(page, app.url, `/leads/${seeded.leads.main}`);
    const owner = page.getByTestId('edit-owner');
    const name = SEED_USERS.marketer.name;
    await expect.poll(() => owner.inputValue()).toBe(name);
    await owner.click();
    await page.getByRole('option', { name }).click();
    expect(await owner.inputValue()).toBe(name);
    expect(await page.getByTestId('edit-save').isDisabled()).toBe(true);

    const tags = page.getByTestId('edit-tags');
    await tags.click();
    await page.keyboard.type('vip');
    await page.keyboard.press('Enter');
    await page.keyboard.type('nuevo');
    await page.keyboard.press('Enter');
    const pills = page.getByTestId('lead-editor').locator('.mantine-Pill-label');
    await expect.poll(() => pills.allTextContents()).toEqual(['vip', 'nuevo']);
  });

  it('analytics names channels and languages, and writes the funnel numbers on its bars', async () => {
    for (const [locale, channel, language] of [
      ['en-GB', 'Web chat', 'Spanish'],
      ['es-ES', 'Chat web', 'Español'],
    ] as const) {
      const page = await pageAs('marketer', locale);
      await openConsole(page, app.url, '/analytics');
      const svgText = page.locator('.recharts-cartesian-axis-tick-value');
      await expect.poll(async () => (await svgText.allTextContents()).join('|')).toContain(channel);
      const ticks = await svgText.allTextContents();
      expect(ticks).toContain(language);
      expect(ticks).not.toContain('webchat');
      expect(ticks).not.toContain('es');
      const funnel = page.getByTestId('funnel-chart').locator('.recharts-label-list text');
      await expect.poll(() => funnel.count()).toBeGreaterThan(0);
      expect((await funnel.allTextContents()).every((n) => /^\d+$/.test(n.trim()))).toBe(true);
    }
  });

  it('a toast does not cover the language switch or the user menu', async () => {
    const page = await pageAs('marketer');
    await openConsole(page, app.url, `/leads/${seeded.leads.main}`);
    await page.getByTestId('edit-notes').fill('Llamar el martes');
    await page.getByTestId('edit-save').click();
    const toast = page.locator('.mantine-Notification-root').first();
    await toast.waitFor();
    const box = (await toast.boundingBox())!;
    const header = (await page.locator('header').first().boundingBox())!;
    expect(box.y).toBeGreaterThan(header.y + header.height);
  });
});
