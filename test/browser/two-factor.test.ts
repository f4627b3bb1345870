/**
 * Two-factor sign-in in the console, in a real Chromium against a real Charla, with codes from a
 * real TOTP generator (otpauth): a staff member sets it up on the security page (secret key and
 * otpauth link, a first code, recovery codes shown once), signs out, signs in with the password
 * and then a TOTP code; a wrong code is refused with a readable message; a recovery code works
 * too. The login page no longer says two-factor is not offered, and offers no SSO button when
 * single sign-on is not configured.
 */
import { Secret, TOTP } from 'otpauth';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { ensureConsoleBuilt, launchChromium, newConsoleContext } from './console-support.js';

const PASSWORD = 'a-long-staff-password-1';
const EMAIL = `tf-browser-${Date.now()}@example.com`;

const codeAt = (secret: string, timestamp = Date.now()) =>
  new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30 }).generate({ timestamp });

async function signInWithPassword(page: Page, baseUrl: string) {
  await page.goto(`${baseUrl}/console/login`);
  await page.getByTestId('login-email').fill(EMAIL);
  await page.getByTestId('login-password').fill(PASSWORD);
  await page.getByTestId('login-submit').click();
}

describe('console: two-factor sign-in in Chromium', () => {
  let app: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    ensureConsoleBuilt();
    app = await startTestApp();
    const res = await fetch(`${app.url}/api/users`, {
      method: 'POST',
      headers: { ...app.admin, 'content-type': 'application/json' },
      body: JSON.stringify({
        email: EMAIL,
        name: 'Tomás Factor',
        role: 'agent',
        password: PASSWORD,
      }),
    });
    expect(res.status).toBe(201);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('sets up two-factor, signs out, signs back in with a TOTP code and with a recovery code', async () => {
    const context = await newConsoleContext(browser, { locale: 'en-GB' });
    const page = await context.newPage();
    await signInWithPassword(page, app.url);
    await expect.poll(() => page.url()).not.toContain('/login');

    // Enrol on the security page.
    await page.goto(`${app.url}/console/security`);
    await page.getByTestId('two-factor-status').waitFor();
    expect(await page.getByTestId('two-factor-status').textContent()).toBe('Off');
    await page.getByTestId('two-factor-enable').click();
    const secret = ((await page.getByTestId('two-factor-secret').textContent()) ?? '').replace(
      /\s+/g,
      '',
    );
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const uri = await page.getByTestId('two-factor-uri').getAttribute('href');
    expect(new URL(uri!).searchParams.get('secret')).toBe(secret);
    await page.getByRole('textbox', { name: /6-digit code from your app/ }).fill('000000');
    await page.getByTestId('two-factor-confirm').click();
    await page.getByRole('alert').filter({ hasText: 'not valid' }).waitFor();
    await page.getByRole('textbox', { name: /6-digit code from your app/ }).fill(codeAt(secret));
    await page.getByTestId('two-factor-confirm').click();
    const list = page.getByRole('list', { name: 'Recovery codes' });
    await list.waitFor();
    const recovery = (await list.getByRole('listitem').allTextContents()).map((c) => c.trim());
    expect(recovery).toHaveLength(10);
    await page.getByTestId('recovery-codes-done').click();
    await expect.poll(() => page.getByTestId('two-factor-status').textContent()).toBe('On');

    // Sign out: the session is gone.
    await context.clearCookies();
    await page.goto(`${app.url}/console/conversations`);
    await expect.poll(() => page.url()).toContain('/login');

    // Password, then a wrong code, then the right TOTP code (the next time step: the enrolment
    // code's step is spent).
    await signInWithPassword(page, app.url);
    await page.getByTestId('two-factor-verify').waitFor();
    const codeField = page.getByRole('textbox', { name: /Code from your app or a recovery code/ });
    await codeField.fill('123456');
    await page.getByTestId('two-factor-submit').click();
    await page.getByTestId('two-factor-error').waitFor();
    expect(await page.getByTestId('two-factor-error').textContent()).toContain('not valid');
    await codeField.fill(codeAt(secret, Date.now() + 30_000));
    await page.getByTestId('two-factor-submit').click();
    await expect.poll(() => page.url()).not.toContain('/login');
    await page.locator('h1').first().waitFor();

    // Signed out again: a recovery code signs in too.
    await context.clearCookies();
    await signInWithPassword(page, app.url);
    await page.getByTestId('two-factor-verify').waitFor();
    await page
      .getByRole('textbox', { name: /Code from your app or a recovery code/ })
      .fill(recovery[0]!);
    await page.getByTestId('two-factor-submit').click();
    await expect.poll(() => page.url()).not.toContain('/login');
    await page.goto(`${app.url}/console/security`);
    await expect.poll(() => page.getByText('9 recovery codes left').count()).toBe(1);
    // SSO is not configured here: no button.
    await context.clearCookies();
    await page.goto(`${app.url}/console/login`);
    await page.getByTestId('login-email').waitFor();
    expect(await page.getByTestId('login-sso').count()).toBe(0);
    await context.close();
  }, 120_000);
});
