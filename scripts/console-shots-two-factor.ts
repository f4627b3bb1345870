/**
 * Screenshots of the two-factor screens for scripts/console-screenshots.ts (es/en, desktop and
 * phone): the security page as an admin (with the staff policy), its enrolment panel, and the
 * login's second step for an account with two-factor on.
 */
import path from 'node:path';
import { Secret, TOTP } from 'otpauth';
import type { Browser } from 'playwright-core';

const VIEWPORTS = { desktop: { width: 1280, height: 800 }, phone: { width: 375, height: 740 } };
const LANGUAGES = { es: 'es-ES', en: 'en-GB' } as const;
const PASSWORD = 'a-long-screenshot-password';

async function enrolledUser(url: string, admin: Record<string, string>): Promise<string> {
  const email = `two-factor-${Date.now()}@example.com`;
  const json = { 'content-type': 'application/json' };
  const created = await fetch(`${url}/api/users`, {
    method: 'POST',
    headers: { ...admin, ...json },
    body: JSON.stringify({ email, name: 'Dos Factores', role: 'agent', password: PASSWORD }),
  });
  if (created.status !== 201) throw new Error(`create user: ${created.status}`);
  const login = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const headers = { ...json, cookie, 'x-csrf-token': csrfToken };
  const start = await fetch(`${url}/api/auth/two-factor/enrolment`, { method: 'POST', headers });
  if (start.status !== 200) throw new Error(`enrolment: ${start.status} ${await start.text()}`);
  const { secret } = (await start.json()) as { secret: string };
  const code = new TOTP({ secret: Secret.fromBase32(secret) }).generate();
  const confirm = await fetch(`${url}/api/auth/two-factor/enrolment/confirm`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ code }),
  });
  if (confirm.status !== 200) throw new Error(`enrol: ${confirm.status}`);
  return email;
}

export async function shootTwoFactorScreens(opts: {
  browser: Browser;
  url: string;
  admin: Record<string, string>;
  adminLogin: { email: string; password: string };
  out: string;
  shots: string[];
  only: string[] | undefined;
}): Promise<void> {
  const wanted = (name: string) => !opts.only || opts.only.includes(name);
  if (!['security', 'security-enrol', 'login-two-factor'].some(wanted)) return;
  const email = await enrolledUser(opts.url, opts.admin);
  for (const [lang, locale] of Object.entries(LANGUAGES)) {
    for (const [device, viewport] of Object.entries(VIEWPORTS)) {
      const file = (name: string) => path.join(opts.out, `${name}-${lang}-${device}.png`);
      const context = await opts.browser.newContext({ locale, viewport });
      const page = await context.newPage();
      if (wanted('login-two-factor')) {
        await page.goto(`${opts.url}/console/login`);
        await page.getByTestId('login-email').fill(email);
        await page.getByTestId('login-password').fill(PASSWORD);
        await page.getByTestId('login-submit').click();
        await page.getByTestId('two-factor-verify').waitFor();
        await page.waitForTimeout(300);
        await page.screenshot({ path: file('login-two-factor'), fullPage: true });
        opts.shots.push(file('login-two-factor'));
      }
      await context.clearCookies();
      const res = await context.request.post(`${opts.url}/api/auth/login`, {
        data: opts.adminLogin,
      });
      if (res.status() !== 200) throw new Error(`admin sign-in: ${res.status()}`);
      await page.goto(`${opts.url}/console/security`);
      await page.getByTestId('two-factor-status').waitFor();
      if (wanted('security')) {
        await page.waitForTimeout(300);
        await page.screenshot({ path: file('security'), fullPage: true });
        opts.shots.push(file('security'));
      }
      if (wanted('security-enrol')) {
        await page.getByTestId('two-factor-enable').click();
        await page.getByTestId('two-factor-secret').waitFor();
        await page.waitForTimeout(300);
        await page.screenshot({ path: file('security-enrol'), fullPage: true });
        opts.shots.push(file('security-enrol'));
      }
      await context.close();
    }
  }
}
