/**
 * Screenshots of the admin's temporary password for scripts/console-screenshots.ts (es/en, 1280
 * and 375 px): the users page's dialog with a generated password shown once, and the "choose a
 * new password" step the user then meets after signing in. Uses a fresh account of its own.
 */
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { SEED_PASSWORD, SEED_USERS } from './console-seed.js';

const VIEWPORTS = { desktop: { width: 1280, height: 800 }, phone: { width: 375, height: 740 } };
const LANGUAGES = { es: 'es-ES', en: 'en-GB' } as const;

export async function shootTemporaryPassword(opts: {
  browser: Browser;
  url: string;
  admin: Record<string, string>;
  out: string;
  shots: string[];
  only?: string[];
}): Promise<void> {
  const { browser, url, admin, out, shots, only } = opts;
  const wanted = (name: string) => !only || only.includes(name);
  const email = `temporal-${Date.now()}@example.com`;
  const created = await fetch(`${url}/api/users`, {
    method: 'POST',
    headers: { ...admin, 'content-type': 'application/json' },
    body: JSON.stringify({ email, name: 'Tomás Temporal', role: 'agent', password: SEED_PASSWORD }),
  });
  if (created.status !== 201) throw new Error(`create user: ${created.status}`);
  for (const [lang, locale] of Object.entries(LANGUAGES)) {
    for (const [device, viewport] of Object.entries(VIEWPORTS)) {
      const shot = async (page: import('playwright-core').Page, name: string, full = false) => {
        await page.waitForTimeout(300);
        const file = path.join(out, `${name}-${lang}-${device}.png`);
        await page.screenshot({ path: file, fullPage: full });
        shots.push(file);
      };
      const context = await browser.newContext({ locale, viewport });
      await context.request.post(`${url}/api/auth/login`, {
        data: { email: SEED_USERS.admin.email, password: SEED_PASSWORD },
      });
      const page = await context.newPage();
      await page.goto(`${url}/console/users`);
      const row = page.locator(`[data-testid="user-row"][data-user-email="${email}"]`);
      await row.getByTestId('user-temporary-password').click();
      if (wanted('users-temporary-password')) await shot(page, 'users-temporary-password');
      await page.getByTestId('temporary-password-confirm').click();
      const temporary = await page.getByTestId('temporary-password-value').textContent();
      if (wanted('users-temporary-password')) await shot(page, 'users-temporary-password-done');
      await page.keyboard.press('Escape');
      if (wanted('users-temporary-password')) await shot(page, 'users-must-change', true);
      await context.close();

      const user = await browser.newContext({ locale, viewport });
      await user.request.post(`${url}/api/auth/login`, {
        data: { email, password: temporary },
      });
      const forced = await user.newPage();
      await forced.goto(`${url}/console/conversations`);
      await forced.getByTestId('change-submit').waitFor();
      if (wanted('change-password')) {
        await forced.getByTestId('change-submit').click();
        await shot(forced, 'change-password', true);
      }
      await user.close();
    }
  }
}
