/**
 * The orders import page in Chromium against a real Charla: a pasted CSV's columns are guessed,
 * the dry run lists the bad rows and keeps Import disabled; a clean file checked and imported
 * lands in the database, a changed mapping must be checked again; Spanish texts; no page-wide
 * scroll on a phone.
 */
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSeedUsers } from '../../scripts/console-seed.js';
import { Order } from '../../src/kernel/db/models/order.js';
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

describe('console orders import page', () => {
  let app: TestApp;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const tag = Date.now().toString(36);

  beforeAll(async () => {
    ensureConsoleBuilt();
    app = await startTestApp({ BASE_CURRENCY: 'EUR', CURRENCY_RATES: 'USD:0.92' });
    await createSeedUsers(app.url, app.admin);
    browser = await launchChromium();
  }, 180_000);
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

  it('checks a file, lists bad rows, then imports a clean one', async () => {
    const page = await (await context()).newPage();
    await openConsole(page, app.url, '/orders/import');
    await expect.poll(() => page.locator('h1').textContent()).toBe('Import orders');
    const bad = [
      'Order ID,Email,Date,Total,Status',
      `W-${tag}-1,web-${tag}@example.com,2026-11-02,20,shipped`,
      `W-${tag}-2,web-${tag}@example.com,someday,20,placed`,
    ].join('\n');
    await page.getByTestId('csv-text').fill(bad);
    await page.getByTestId('csv-check').click();
    await page.getByTestId('dry-run-summary').waitFor();
    expect(await page.getByTestId('map-externalId').inputValue()).toBe('Order ID');
    expect(await page.getByTestId('map-amount').inputValue()).toBe('Total');
    const errorRow = page.locator('[data-testid="csv-errors"] tbody tr');
    await expect.poll(() => errorRow.count()).toBe(1);
    expect(await errorRow.first().textContent()).toContain('Not a date');
    expect(await errorRow.first().getAttribute('data-line')).toBe('3');
    expect(await page.getByTestId('csv-import').isDisabled()).toBe(true);

    const good = [
      'ref,mail,when,sum,state',
      `W-${tag}-3,web-${tag}@example.com,2026-11-02,20,shipped`,
      `W-${tag}-4,web-${tag}@example.com,2026-11-05,35.5,placed`,
    ].join('\n');
    await page.getByTestId('csv-text').fill(good);
    await page.getByTestId('csv-check').click();
    await page.getByTestId('dry-run-summary').waitFor();
    // Unknown headers: nothing guessed but the email; the marketer maps the rest.
    const map = async (field: string, column: string) => {
      await page.getByTestId(`map-${field}`).click();
      await page.getByRole('option', { name: column, exact: true }).click();
    };
    await map('externalId', 'ref');
    await map('placedAt', 'when');
    await map('amount', 'sum');
    await map('status', 'state');
    expect(await page.getByTestId('csv-import').isDisabled()).toBe(true);
    await page.getByTestId('csv-check').click();
    await expect
      .poll(() => page.getByTestId('dry-run-summary').textContent())
      .toContain('0 problems');
    expect(await Order.countDocuments({ externalId: { $in: [`W-${tag}-3`, `W-${tag}-4`] } })).toBe(
      0,
    );
    await expect.poll(() => page.getByTestId('csv-import').isDisabled()).toBe(false);
    expect(await page.getByTestId('csv-import').textContent()).toBe('Import 2 orders');
    await page.getByTestId('csv-import').click();
    await page.getByTestId('import-done').waitFor();
    expect(await page.getByTestId('import-done').textContent()).toContain('2 new');
    const stored = await Order.find({ externalId: { $in: [`W-${tag}-3`, `W-${tag}-4`] } }).lean();
    expect(stored.map((o) => o.status).sort()).toEqual(['placed', 'shipped']);
    expect(await Order.countDocuments({ externalId: { $in: [`W-${tag}-1`, `W-${tag}-2`] } })).toBe(
      0,
    );
  });

  it('speaks Spanish and fits a phone', async () => {
    const page = await (await context({ locale: 'es-ES', viewport: PHONE })).newPage();
    await openConsole(page, app.url, '/orders/import');
    await expect.poll(() => page.locator('h1').textContent()).toBe('Importar pedidos');
    await page
      .getByTestId('csv-text')
      .fill(`Id pedido;Correo;Fecha;Importe\nE-${tag};es-${tag}@example.com;2026-11-02;12,50`);
    await page.getByTestId('csv-check').click();
    await page.getByTestId('dry-run-summary').waitFor();
    expect(await page.getByTestId('dry-run-summary').textContent()).toContain('0 problemas');
    expect(await page.getByTestId('csv-import').textContent()).toBe('Importar 1 pedido');
    expect(await pageOverflowsX(page)).toBe(false);
  });
});
