/**
 * The console in a real Chromium against a real Charla, signed in as each role: the sign-in
 * form and redirects, the navigation each role gets, every page it may open (rendered with
 * data, no error state, no page-wide horizontal scroll at phone width) and the pages it may not
 * ("not allowed", and the API refuses the same), Spanish and English with the header switch.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  LONG_CUSTOMER_NAME,
  SEED_PASSWORD,
  SEED_USERS,
  seedConsoleData,
  type SeedRole,
  type SeededData,
} from '../../scripts/console-seed.js';
import { startTestApp, type TestApp } from '../support/app.js';
import {
  ensureConsoleBuilt,
  launchChromium,
  newConsoleContext,
  openConsole,
  pageOverflowsX,
  PHONE,
  signInAs,
} from './console-support.js';

const TITLE = {
  conversations: 'Conversations',
  contacts: 'Contacts',
  leads: 'Pipeline',
  cases: 'Cases',
  studio: 'Bot studio',
  users: 'Users',
  audit: 'Audit log',
  webhooks: 'Webhooks',
} as const;
/** What each role finds in the navigation at least (the registry's roles; the server decides the same). */
const NAV: Record<SeedRole, Array<keyof typeof TITLE>> = {
  admin: ['conversations', 'contacts', 'leads', 'cases', 'studio', 'users', 'audit', 'webhooks'],
  marketer: ['conversations', 'contacts', 'leads'],
  agent: ['conversations', 'contacts', 'cases'],
  viewer: ['conversations', 'contacts', 'leads', 'cases'],
};
const ADMIN_ONLY = ['users', 'audit', 'webhooks'] as const;
const ROLE_LABEL: Record<SeedRole, string> = {
  admin: 'Admin',
  marketer: 'Marketer',
  agent: 'Agent',
  viewer: 'Viewer',
};

describe('console: each role in Chromium', () => {
  let app: TestApp;
  let browser: Browser;
  let seeded: SeededData;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    ensureConsoleBuilt();
    app = await startTestApp();
    seeded = await seedConsoleData(app.url, app.admin);
    browser = await launchChromium();
  }, 90_000);
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await app?.stop();
  });

  async function context(opts: Parameters<typeof newConsoleContext>[1] = {}) {
    const c = await newConsoleContext(browser, opts);
    contexts.push(c);
    return c;
  }

  /** The page's heading reads `title` and nothing is loading any more. */
  async function settled(page: Page, title: string) {
    await page.locator('h1', { hasText: title }).waitFor();
    await page.locator('[data-testid="loading"]').first().waitFor({ state: 'detached' });
  }

  const navItems = (page: Page) =>
    page
      .locator('[data-testid="nav"] [data-testid^="nav-"]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')!.slice(4)));

  it('sends a signed-out visitor to the sign-in form and back to the page asked for', async () => {
    const page = await (await context()).newPage();
    await page.goto(`${app.url}/console/contacts/${seeded.queued.contactId}`);
    await page.waitForURL(/\/console\/login\?next=/);
    expect(await page.locator('h1').textContent()).toBe('Sign in to Charla');

    await page.getByTestId('login-email').fill(SEED_USERS.agent.email);
    await page.getByTestId('login-password').fill('not the password');
    await page.getByTestId('login-submit').click();
    expect(await page.getByTestId('login-error').textContent()).toBe('Wrong email or password.');

    await page.getByTestId('login-password').fill(SEED_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.waitForURL(`${app.url}/console/contacts/${seeded.queued.contactId}`);
    expect(await page.locator('h1').textContent()).toBe(LONG_CUSTOMER_NAME);

    // A session that ends under the open app (expired, user disabled): the next call's 401
    // sends the person to sign in again, keeping where they were.
    const cookies = await page.context().cookies();
    await page.context().clearCookies();
    await page.getByTestId('nav-conversations').click();
    await page.waitForURL(/\/console\/login\?next=%2Fconversations/);
    await page.context().addCookies(cookies);
    await page.goto(`${app.url}/console/contacts/${seeded.queued.contactId}`);
    await page.locator('h1', { hasText: LONG_CUSTOMER_NAME }).waitFor();

    // Signing out ends the session on the server: the console is closed again.
    await page.getByTestId('user-menu').click();
    await page.getByTestId('sign-out').click();
    await page.waitForURL(/\/console\/login$/);
    await page.goto(`${app.url}/console/conversations`);
    await page.waitForURL(/\/console\/login\?next=%2Fconversations/);
  });

  for (const role of Object.keys(NAV) as SeedRole[]) {
    it(`${role}: sees its navigation, walks its pages, is refused the others`, async () => {
      const ctx = await context();
      await signInAs(ctx, app.url, role);
      const page = await ctx.newPage();
      await openConsole(page, app.url, '/');
      await page.waitForURL(`${app.url}/console/conversations`);
      // Later issues add their own pages; these are the ones this suite knows.
      const nav = await navItems(page);
      expect(nav).toEqual(expect.arrayContaining(NAV[role]));
      for (const area of ADMIN_ONLY) expect(nav.includes(area), area).toBe(role === 'admin');
      await page.getByTestId('user-menu').click();
      expect(await page.getByTestId('user-role').textContent()).toBe(ROLE_LABEL[role]);
      await page.keyboard.press('Escape');

      // Through the app's own links (client-side routing), as a person would.
      for (const area of NAV[role]) {
        await page.getByTestId(`nav-${area}`).click();
        await settled(page, TITLE[area]);
        expect(await page.getByTestId('error-state').count(), area).toBe(0);
        expect(await page.getByTestId('forbidden').count(), area).toBe(0);
      }
      await page.getByTestId('nav-conversations').click();
      await settled(page, TITLE.conversations);
      await page.getByTestId('conversation-row').nth(2).waitFor();
      await page
        .locator(`[data-conversation-id="${seeded.queued.conversationId}"]`)
        .getByRole('link')
        .click();
      await settled(page, LONG_CUSTOMER_NAME);
      expect(await page.getByTestId('transcript-message').count()).toBeGreaterThanOrEqual(4);
      const actions = await page.getByTestId('agent-actions').count();
      expect(actions).toBe(role === 'agent' || role === 'admin' ? 1 : 0);
      if (!actions) expect(await page.getByTestId('read-only').count()).toBe(1);
      await page.getByTestId('contact-link').click();
      await page.waitForURL(`${app.url}/console/contacts/${seeded.queued.contactId}`);
      await page.getByTestId('identities').waitFor();
      expect(await page.locator('h1').textContent()).toBe(LONG_CUSTOMER_NAME);
      expect(await page.locator('[data-testid="identities"] li').count()).toBe(2);
      expect(await page.locator('[data-testid="contact-conversations"] li').count()).toBe(2);

      for (const area of ADMIN_ONLY.filter((a) => !NAV[role].includes(a))) {
        await openConsole(page, app.url, `/${area}`);
        expect(await page.getByTestId('forbidden').count(), area).toBe(1);
        // The UI only hides what the server refuses anyway.
        const res = await ctx.request.get(`${app.url}/api/${area}`);
        expect(res.status(), area).toBe(403);
      }
    }, 90_000);
  }

  it('shows the transcript with intent, confidence and language of each customer message', async () => {
    const ctx = await context();
    await signInAs(ctx, app.url, 'viewer');
    const page = await ctx.newPage();
    await openConsole(page, app.url, `/conversations/${seeded.queued.conversationId}`);
    const inbound = page.locator('[data-testid="transcript-message"][data-direction="in"]');
    expect(await inbound.count()).toBeGreaterThanOrEqual(2);
    const texts = await inbound.locator('[data-testid="message-text"]').allTextContents();
    expect(texts.slice(0, 2)).toEqual(['hola', '¿cuánto cuesta el plan para empresas?']);
    const res = await ctx.request.get(
      `${app.url}/api/conversations/${seeded.queued.conversationId}`,
    );
    const detail = (await res.json()) as {
      messages: Array<{ direction: string; nlu?: { intent: string | null; language: string } }>;
    };
    const readings = detail.messages.filter((m) => m.direction === 'in').map((m) => m.nlu!);
    const intents = await inbound.locator('[data-testid="nlu-intent"]').allTextContents();
    expect(intents).toEqual(readings.map((r) => r.intent ?? 'no intent'));
    const languages = await inbound.locator('[data-testid="nlu-language"]').allTextContents();
    expect(languages).toEqual(readings.map((r) => r.language.toUpperCase()));
    expect(await inbound.locator('[data-testid="nlu-confidence"]').first().textContent()).toMatch(
      /^\d+%$/,
    );
    expect(await page.getByTestId('conversation-status').getAttribute('data-status')).toBe(
      'queued',
    );
    expect(await page.getByTestId('escalation-timeline').textContent()).toContain(
      'Waiting for staff',
    );
  });

  it('follows the browser language, switches in the header and remembers the choice', async () => {
    const ctx = await context({ locale: 'es-ES' });
    await signInAs(ctx, app.url, 'marketer');
    const page = await ctx.newPage();
    await openConsole(page, app.url, '/contacts');
    expect(await page.locator('h1').textContent()).toBe('Contactos');
    expect(await page.locator('html').getAttribute('lang')).toBe('es');
    await page.getByTestId('language-switch').getByText('EN').click();
    expect(await page.locator('h1').textContent()).toBe('Contacts');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await page.reload();
    await page.locator('h1').waitFor();
    expect(await page.locator('h1').textContent()).toBe('Contacts');
  });

  it('fits a 360 px phone: no page-wide horizontal scroll, long names cut with a title', async () => {
    const ctx = await context({ viewport: PHONE });
    await signInAs(ctx, app.url, 'admin');
    const page = await ctx.newPage();
    const paths = [
      '/conversations',
      `/conversations/${seeded.queued.conversationId}`,
      '/contacts',
      `/contacts/${seeded.queued.contactId}`,
      '/leads',
      '/leads?view=table',
      `/leads/${seeded.leads.main}`,
      '/users',
      '/audit',
    ];
    for (const path of paths) {
      await openConsole(page, app.url, path);
      expect(await pageOverflowsX(page), path).toBe(false);
    }
    await openConsole(page, app.url, '/conversations');
    const name = page.locator(`[title="${LONG_CUSTOMER_NAME}"]`).first();
    const box = await name.boundingBox();
    expect(box!.width).toBeLessThanOrEqual(PHONE.width);
  }, 90_000);
});
