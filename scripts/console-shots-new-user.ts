/**
 * Screenshots of creating a staff account for scripts/console-screenshots.ts (es/en, 1280 and
 * 375 px): the "new user" form and its outcome. This script's Charla has no SMTP_URL, so the real
 * server answers the no-mail case (users-new-no-mail, users-new-temporary: a temporary password
 * shown once). For the invitation case (users-new-invite, users-new-invited) the page's two mail
 * answers are stood in for in the browser (GET /api/auth/forgot-password → available, POST
 * /api/users → invitation sent): the look only; the real path is test/browser/users-invite.test.ts.
 */
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { SEED_PASSWORD, SEED_USERS } from './console-seed.js';

const VIEWPORTS = { desktop: { width: 1280, height: 800 }, phone: { width: 375, height: 740 } };
const LANGUAGES = { es: 'es-ES', en: 'en-GB' } as const;

export async function shootNewUser(opts: {
  browser: Browser;
  url: string;
  out: string;
  shots: string[];
}): Promise<void> {
  const { browser, url, out, shots } = opts;
  let n = 0;
  for (const [lang, locale] of Object.entries(LANGUAGES)) {
    for (const [device, viewport] of Object.entries(VIEWPORTS)) {
      const shot = async (page: Page, name: string) => {
        await page.waitForTimeout(300);
        const file = path.join(out, `${name}-${lang}-${device}.png`);
        await page.screenshot({ path: file });
        shots.push(file);
      };
      const fill = async (page: Page, email: string) => {
        await page.goto(`${url}/console/users`);
        await page.getByTestId('new-user').click();
        await page.getByTestId('new-user-name').fill('Noelia Nueva');
        await page.getByTestId('new-user-email').fill(email);
      };
      for (const mail of [false, true]) {
        const context = await browser.newContext({ locale, viewport });
        await context.request.post(`${url}/api/auth/login`, {
          data: { email: SEED_USERS.admin.email, password: SEED_PASSWORD },
        });
        const page = await context.newPage();
        const email = `noelia-${Date.now()}-${(n += 1)}@example.com`;
        if (mail) {
          await page.route('**/api/auth/forgot-password', (route) =>
            route.fulfill({ json: { available: true } }),
          );
          await page.route('**/api/users', (route) =>
            route.request().method() === 'POST'
              ? route.fulfill({
                  status: 201,
                  json: {
                    id: '0'.repeat(24),
                    email,
                    name: 'Noelia Nueva',
                    role: 'agent',
                    invitation: 'sent',
                    invitationExpiresAt: new Date(Date.now() + 72 * 3600_000).toISOString(),
                    temporaryPassword: null,
                  },
                })
              : route.continue(),
          );
        }
        await fill(page, email);
        await shot(page, mail ? 'users-new-invite' : 'users-new-no-mail');
        await page.getByTestId('new-user-submit').click();
        await page.getByTestId('new-user-outcome').waitFor();
        await shot(page, mail ? 'users-new-invited' : 'users-new-temporary');
        await context.close();
      }
    }
  }
}
