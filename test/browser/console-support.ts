/**
 * What the console's browser tests share: the built console (rebuilt only when stale, once for
 * parallel files), Debian's Chromium, and signing in as a seeded user.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { SEED_PASSWORD, SEED_USERS, type SeedRole } from '../../scripts/console-seed.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function ensureConsoleBuilt(): void {
  execFileSync(process.execPath, ['scripts/ensure-console.mjs'], { stdio: 'pipe' });
}

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 360, height: 740 };

export async function newConsoleContext(
  browser: Browser,
  opts: { locale?: string; viewport?: { width: number; height: number } } = {},
): Promise<BrowserContext> {
  return browser.newContext({
    locale: opts.locale ?? 'en-GB',
    viewport: opts.viewport ?? DESKTOP,
  });
}

/** Signs in through the API (the cookie lands in the context); the form has its own test. */
export async function signInAs(context: BrowserContext, baseUrl: string, role: SeedRole) {
  const res = await context.request.post(`${baseUrl}/api/auth/login`, {
    data: { email: SEED_USERS[role].email, password: SEED_PASSWORD },
  });
  if (res.status() !== 200)
    throw new Error(`sign-in as ${role}: ${res.status()} ${await res.text()}`);
}

/** Opens a console path and waits until the page settled (no skeleton, no spinner). */
export async function openConsole(page: Page, baseUrl: string, path: string): Promise<void> {
  await page.goto(`${baseUrl}/console${path}`);
  await page.locator('h1').first().waitFor();
  await page.locator('[data-testid="loading"]').first().waitFor({ state: 'detached' });
}

/** No horizontal scrolling of the whole page (tables scroll inside their own box). */
export async function pageOverflowsX(page: Page): Promise<boolean> {
  return page.evaluate(
    () => document.documentElement.scrollWidth > document.documentElement.clientWidth + 1,
  );
}
