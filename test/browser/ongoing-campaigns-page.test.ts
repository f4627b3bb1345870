/**
 * The console's on-page (ongoing web chat) campaigns section on /console/campaigns: a marketer
 * creates one with a URL pattern and seconds (Spanish), sees it active and switches it off; the
 * server has it as written. At 360 px the page does not overflow; a viewer has no switch to use.
 */
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSeedUsers } from '../../scripts/console-seed.js';
import { OngoingCampaign } from '../../src/features/campaigns/ongoing.js';
import { eventually, startTestApp, type TestApp } from '../support/app.js';
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

describe('console: on-page web chat campaigns', () => {
  let app: TestApp;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    ensureConsoleBuilt();
    app = await startTestApp();
    await createSeedUsers(app.url, app.admin);
    browser = await launchChromium();
  }, 300_000);
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await app?.stop();
  });

  async function pageAs(role: 'marketer' | 'viewer', locale: string, viewport = DESKTOP) {
    const context = await newConsoleContext(browser, { locale, viewport });
    contexts.push(context);
    await signInAs(context, app.url, role);
    return context.newPage();
  }

  it('a marketer creates one, sees it and switches it off; a viewer cannot', async () => {
    const page = await pageAs('marketer', 'es-ES');
    await openConsole(page, app.url, '/campaigns');
    await page.getByRole('button', { name: 'Nuevo mensaje en la página' }).click();
    const form = page.getByRole('form', { name: 'Nuevo mensaje en la página' });
    await form.getByLabel('Nombre').fill('Precios');
    await form.getByLabel('Dirección de la página').fill('/precios*');
    await form.getByLabel('Segundos en la página').fill('5');
    await form.getByLabel('Texto en español').fill('¿Dudas con <b>los precios</b>?');
    await form.getByRole('button', { name: 'Crear' }).click();
    const row = page.getByTestId('ongoing-row');
    await row.waitFor({ state: 'visible', timeout: 30_000 });
    expect(await row.textContent()).toContain('¿Dudas con <b>los precios</b>?');
    const saved = await eventually(() => OngoingCampaign.findOne({ name: 'Precios' }).lean());
    expect(saved.rules).toEqual({ urlPattern: '/precios*', secondsOnPage: 5, audience: 'all' });
    expect(saved.enabled).toBe(true);

    const toggle = row.getByRole('switch', { name: 'Activo: Precios' });
    expect(await toggle.isChecked()).toBe(true);
    await row.getByText('Activo', { exact: true }).click();
    await eventually(
      async () => (await OngoingCampaign.findById(saved._id).lean())?.enabled === false,
    );

    const phone = await pageAs('viewer', 'en-GB', PHONE);
    await openConsole(phone, app.url, '/campaigns');
    const viewerRow = phone.getByTestId('ongoing-row');
    await viewerRow.waitFor({ state: 'visible', timeout: 30_000 });
    expect(await viewerRow.getByRole('switch', { name: 'Active: Precios' }).isDisabled()).toBe(
      true,
    );
    expect(await phone.getByRole('button', { name: 'New on-page message' }).count()).toBe(0);
    expect(await pageOverflowsX(phone)).toBe(false);
  }, 180_000);
});
