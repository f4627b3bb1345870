/**
 * An admin invites a colleague from /console/users in a real Chromium against a real Charla whose
 * mail goes to an SMTP sink: the form offers "Email an invitation" with its language, the outcome
 * says it was sent and until when; the invitee opens the mailed link, sees the welcome page and
 * chooses a password, then signs in. In Spanish on a phone, without horizontal overflow.
 */
import { createServer, type AddressInfo } from 'node:net';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSeedUsers } from '../../scripts/console-seed.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';
import { eventually, startTestApp, type TestApp } from '../support/app.js';
import {
  ensureConsoleBuilt,
  launchChromium,
  newConsoleContext,
  openConsole,
  pageOverflowsX,
  PHONE,
  signInAs,
} from './console-support.js';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('console: staff invitations by mail', () => {
  let sink: SmtpSink;
  let app: TestApp;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    ensureConsoleBuilt();
    sink = await startSmtpSink();
    // PUBLIC_URL is also the origin the console's requests must come from: the app's own.
    const port = await freePort();
    app = await startTestApp({
      PORT: String(port),
      SMTP_URL: sink.url,
      EMAIL_ADDRESS: 'charla@shop.test',
      PUBLIC_URL: `http://127.0.0.1:${port}`,
    });
    await createSeedUsers(app.url, app.admin);
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await app?.stop();
    await sink?.close();
  });

  it('invites in Spanish on a phone; the link sets the password once', async () => {
    const context = await newConsoleContext(browser, { locale: 'es-ES', viewport: PHONE });
    contexts.push(context);
    const page = await context.newPage();
    await signInAs(context, app.url, 'admin');
    await openConsole(page, app.url, '/users');
    await page.getByTestId('new-user').click();
    await page.getByTestId('new-user-name').fill('Irene Invitada');
    await page.getByTestId('new-user-email').fill('irene@shop.test');
    await page
      .getByTestId('new-user-access')
      .getByText('Enviar una invitación por correo')
      .waitFor();
    expect(await page.getByTestId('new-user-locale').inputValue()).toBe('Español');
    expect(await pageOverflowsX(page)).toBe(false);
    await page.getByTestId('new-user-submit').click();
    const outcome = page.getByTestId('new-user-outcome');
    await outcome.waitFor();
    expect(await outcome.getAttribute('data-invitation')).toBe('sent');
    expect(await outcome.textContent()).toContain('Invitación enviada a irene@shop.test');
    expect(await page.getByTestId('new-user-temporary-password').count()).toBe(0);
    await page.getByTestId('new-user-close').click();
    await page.locator('[data-testid="user-row"][data-user-email="irene@shop.test"]').waitFor();

    const link = await eventually(async () => {
      const mail = sink.mails.find((m) => m.envelopeTo.includes('irene@shop.test'));
      return /(http\S+\/console\/reset-password\?token=[\w-]+&invitation=1)/.exec(
        mail?.parsed.text ?? '',
      )?.[1];
    });
    const invitee = await newConsoleContext(browser, { locale: 'es-ES', viewport: PHONE });
    contexts.push(invitee);
    const welcome = await invitee.newPage();
    await welcome.goto(link);
    await welcome
      .getByText('Le damos la bienvenida a Charla: elija su contraseña')
      .first()
      .waitFor();
    await welcome.getByTestId('reset-password').fill('irene elige su clave');
    await welcome.getByTestId('reset-submit').click();
    expect(await welcome.getByTestId('reset-done').textContent()).toContain(
      'Su contraseña está lista',
    );
    const login = await fetch(`${app.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'irene@shop.test', password: 'irene elige su clave' }),
    });
    expect(login.status).toBe(200);
    // The same link again: refused, in the invitation's words.
    await welcome.goto(link);
    await welcome.getByTestId('reset-password').fill('otra clave distinta');
    await welcome.getByTestId('reset-submit').click();
    expect(await welcome.getByTestId('reset-error').textContent()).toContain(
      'Este enlace de invitación no es válido o ha caducado',
    );
  }, 120_000);
});
