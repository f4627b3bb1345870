/**
 * The webhooks page in Chromium, as an admin: create a webhook through the form (its secret
 * shown once, and it verifies a delivery's signature), send a test ping that the receiver
 * refuses (the log shows it failed, highlighted), retry it once the receiver is back, pause it,
 * delete it after confirming; a marketer is refused; the phone width does not scroll sideways.
 */
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSeedUsers } from '../../scripts/console-seed.js';
import { Webhook } from '../../src/features/webhooks/models.js';
import { verifySignature } from '../../src/features/webhooks/signing.js';
import { eventually, startTestApp, type TestApp } from '../support/app.js';
import { startReceiver, type Receiver } from '../features/webhooks/receiver.js';
import {
  ensureConsoleBuilt,
  launchChromium,
  newConsoleContext,
  openConsole,
  pageOverflowsX,
  PHONE,
  signInAs,
} from './console-support.js';

describe('console: webhooks page', () => {
  let app: TestApp;
  let browser: Browser;
  let receiver: Receiver;
  const contexts: BrowserContext[] = [];
  const context = async (opts: Parameters<typeof newConsoleContext>[1] = {}) => {
    const ctx = await newConsoleContext(browser, opts);
    contexts.push(ctx);
    return ctx;
  };

  beforeAll(async () => {
    ensureConsoleBuilt();
    receiver = await startReceiver();
    // The receiver is on 127.0.0.1, a private address webhooks reach only when allowed.
    app = await startTestApp({ WEBHOOK_ALLOW_HOSTS: '127.0.0.1' }, { webhookBackoffMs: 50 });
    await createSeedUsers(app.url, app.admin);
    browser = await launchChromium();
  });
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await app?.stop();
    await receiver?.close();
  });

  it('creates, shows the secret once, logs a refused ping, retries it, pauses and deletes', async () => {
    const ctx = await context({ locale: 'es-ES' });
    await signInAs(ctx, app.url, 'admin');
    await ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.url });
    const page = await ctx.newPage();
    page.setDefaultTimeout(10_000);
    await openConsole(page, app.url, '/webhooks');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Webhooks');
    await page.getByTestId('new-webhook').click();

    // Invalid input is refused in the form and nothing is stored.
    await page.getByTestId('webhook-url').fill('ftp://example.com/x');
    await page.getByTestId('webhook-submit').click();
    await page.getByText('Escribe una URL http:// o https://.').waitFor();
    expect(await Webhook.countDocuments()).toBe(0);

    await page.getByTestId('webhook-url').fill(`${receiver.url}/hook`);
    await page.getByTestId('webhook-description').fill('Hoja de cálculo de ventas');
    await page.getByLabel('Caso creado (case.created)').check();
    await page.getByTestId('webhook-submit').click();
    const secret = (await page.getByTestId('webhook-secret').textContent())!.trim();
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    await page.getByRole('button', { name: 'Copiar' }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
    await page.getByTestId('webhook-secret-done').click();
    const stored = await Webhook.findOne().lean();
    expect(stored?.events).toEqual(['lead.created', 'case.created']);
    // Shown once: the page no longer holds it.
    expect(await page.content()).not.toContain(secret);

    receiver.script('/hook', [410, 200]);
    await page.getByTestId('webhook-test').click();
    const failed = page.locator('[data-testid="delivery-row"][data-status="failed"]');
    await failed.waitFor({ timeout: 15_000 });
    expect(await failed.textContent()).toContain('HTTP 410');
    const ping = receiver.on('/hook')[0]!;
    expect(
      verifySignature(
        secret,
        String(ping.headers['x-charla-timestamp']),
        ping.body,
        String(ping.headers['x-charla-signature']),
      ),
    ).toBe(true);

    await failed.getByTestId('delivery-retry').click();
    await page
      .locator('[data-testid="delivery-row"][data-status="delivered"]')
      .waitFor({ timeout: 15_000 });
    expect(receiver.on('/hook')).toHaveLength(2);

    // By keyboard (the switch's input is visually hidden behind its track).
    await page.getByRole('switch', { name: `Activo: ${receiver.url}/hook` }).focus();
    await page.keyboard.press('Space');
    await eventually(async () => (await Webhook.findOne().lean())?.active === false);

    await page.getByTestId('webhook-delete').click();
    await page.getByTestId('webhook-confirm').click();
    await page.getByText('Aún no hay webhooks').waitFor();
    expect(await Webhook.countDocuments()).toBe(0);
  });

  it('refuses a marketer and fits a phone', async () => {
    const marketer = await context();
    await signInAs(marketer, app.url, 'marketer');
    const page = await marketer.newPage();
    await page.goto(`${app.url}/console/webhooks`);
    await page.getByTestId('forbidden').waitFor();
    expect(await page.getByTestId('new-webhook').count()).toBe(0);

    await app.charla.services.webhooks.service.create(
      { kind: 'token', id: 'admin-token', role: 'admin' },
      {
        url: `${receiver.url}/a/very/long/path/that/keeps/going/and/going/and/going/${'x'.repeat(80)}`,
        events: [
          'lead.created',
          'lead.updated',
          'case.created',
          'case.updated',
          'conversation.escalated',
        ],
        description: 'Un webhook con una descripción muy larga que no debe desbordar la pantalla',
      },
    );
    const phone = await context({ viewport: PHONE });
    await signInAs(phone, app.url, 'admin');
    const p = await phone.newPage();
    await openConsole(p, app.url, '/webhooks');
    await p.getByTestId('webhook-row').first().waitFor();
    expect(await pageOverflowsX(p)).toBe(false);
  });
});
