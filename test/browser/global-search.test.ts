/**
 * Search everywhere and the keyboard help (issue 19.7, 19.8) in a real Chromium against a real
 * Charla. An admin (English, desktop) opens the search with Ctrl+K from the cases page, finds a
 * customer's contact, conversation and lead grouped by type (a name with markup shows as text),
 * moves with the arrows and opens the lead with Enter; a case number finds the case. An agent
 * (Spanish, 375 px phone) opens it from the header's button: no leads group (agents may not read
 * leads), nothing overflows; `/` opens the search and `?` the help listing the inbox's keys.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSeedUsers } from '../../scripts/console-seed.js';
import { Case } from '../../src/kernel/db/models/case.js';
import { Contact } from '../../src/kernel/db/models/contact.js';
import { Conversation } from '../../src/kernel/db/models/conversation.js';
import { Lead } from '../../src/kernel/db/models/lead.js';
import { Message } from '../../src/kernel/db/models/message.js';
import { searchTerms } from '../../src/kernel/search-terms.js';
import { startTestApp, type TestApp } from '../support/app.js';
import {
  DESKTOP,
  ensureConsoleBuilt,
  launchChromium,
  newConsoleContext,
  openConsole,
  pageOverflowsX,
  signInAs,
} from './console-support.js';

const WAIT = { timeout: 30_000 };
const PHONE_375 = { width: 375, height: 740 };

describe('console: search everywhere and the keyboard help', () => {
  let app: TestApp;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    ensureConsoleBuilt();
    app = await startTestApp();
    await createSeedUsers(app.url, app.admin);
    const contact = await Contact.create({
      name: 'Leocadia Villaverde',
      emails: ['leocadia@example.com'],
    });
    ids.contact = String(contact._id);
    const conversation = await Conversation.create({
      contactId: contact._id,
      channel: 'webchat',
      platformConversationId: `search-${new Types.ObjectId()}`,
      platformUserId: 'search-visitor',
      status: 'closed',
    });
    ids.conversation = String(conversation._id);
    const text = 'Soy Leocadia: la cafetera llegó rota';
    await Message.collection.insertOne({
      conversationId: conversation._id,
      contactId: contact._id,
      channel: 'webchat',
      direction: 'in',
      author: 'customer',
      text,
      terms: searchTerms(text),
      internal: false,
      dedupeKey: `search:${new Types.ObjectId()}`,
      status: 'processed',
      attempts: 0,
      createdAt: new Date(),
      updatedAt: new Date(),
    });
    const lead = await Lead.create({
      name: 'Leocadia <b>Villaverde</b>',
      email: 'leocadia@example.com',
      company: 'Cafés Leocadia',
      channel: 'webchat',
    });
    ids.lead = String(lead._id);
    const kase = await Case.create({
      number: 'CS-000913',
      subject: 'Cafetera rota',
      description: 'Llegó con el cristal roto',
      channel: 'webchat',
      contactId: contact._id,
    });
    ids.case = String(kase._id);
    browser = await launchChromium();
  }, 180_000);
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await app?.stop();
  });

  async function pageFor(
    role: 'admin' | 'agent',
    locale: string,
    viewport: { width: number; height: number },
  ): Promise<Page> {
    const context = await newConsoleContext(browser, { locale, viewport });
    contexts.push(context);
    await signInAs(context, app.url, role);
    const page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    return page;
  }

  const groupTypes = (page: Page) =>
    page
      .locator('[data-testid="search-results"] [role="group"]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));

  it('Ctrl+K finds a customer grouped by type; arrows and Enter open the item', async () => {
    const page = await pageFor('admin', 'en-GB', DESKTOP);
    await openConsole(page, app.url, '/cases');
    await page.keyboard.press('Control+k');
    const input = page.getByRole('combobox', { name: 'Search everywhere' });
    await input.waitFor(WAIT);
    expect(await input.evaluate((el) => el === document.activeElement)).toBe(true);
    await input.fill('leocadia');
    await page.locator('[data-testid="search-group-leads"]').waitFor(WAIT);
    expect(await groupTypes(page)).toEqual([
      'search-group-contacts',
      'search-group-conversations',
      'search-group-leads',
    ]);
    expect(await input.getAttribute('aria-expanded')).toBe('true');
    const contactHit = page.locator(`[data-testid="search-hit"][data-id="${ids.contact}"]`);
    expect(await contactHit.getAttribute('aria-selected')).toBe('true');
    expect(await contactHit.getAttribute('href')).toBe(`/console/contacts/${ids.contact}`);
    // The conversation shows the customer's words; the lead's markup is text, not HTML.
    const conversationHit = page.locator(
      `[data-testid="search-hit"][data-id="${ids.conversation}"]`,
    );
    expect(await conversationHit.textContent()).toContain('la cafetera llegó rota');
    const leadHit = page.locator(`[data-testid="search-hit"][data-id="${ids.lead}"]`);
    expect(await leadHit.textContent()).toContain('Leocadia <b>Villaverde</b>');
    expect(await leadHit.locator('b').count()).toBe(0);

    // ↓ ↓ reaches the lead (contact, conversation, lead); the box tells assistive tech.
    await input.press('ArrowDown');
    await input.press('ArrowDown');
    expect(await leadHit.getAttribute('aria-selected')).toBe('true');
    expect(await input.getAttribute('aria-activedescendant')).toBe(
      await leadHit.getAttribute('id'),
    );
    await input.press('ArrowDown'); // wraps to the first
    expect(await contactHit.getAttribute('aria-selected')).toBe('true');
    await input.press('ArrowUp');
    await input.press('Enter');
    await page.waitForURL(`**/console/leads/${ids.lead}`, WAIT);
    await page.getByRole('dialog').waitFor({ state: 'detached', ...WAIT });

    // A case number finds the case; Enter opens it.
    await page.keyboard.press('Control+k');
    await input.fill('CS-000913');
    const caseHit = page.locator(`[data-testid="search-hit"][data-id="${ids.case}"]`);
    await caseHit.waitFor(WAIT);
    expect(await groupTypes(page)).toEqual(['search-group-cases']);
    await input.press('Enter');
    await page.waitForURL(`**/console/cases/${ids.case}`, WAIT);

    // Words nobody wrote: said so.
    await page.keyboard.press('Control+k');
    await input.fill('zzyzx paraguas');
    await page.getByTestId('search-empty').waitFor(WAIT);
    expect(await input.getAttribute('aria-expanded')).toBe('false');
    expect(pageErrors).toEqual([]);
  });

  it('an agent on a phone: the header button, no leads, `/` and `?`', async () => {
    const page = await pageFor('agent', 'es-ES', PHONE_375);
    await openConsole(page, app.url, '/cases');
    const trigger = page.getByTestId('global-search');
    expect(await trigger.isVisible()).toBe(true);
    expect(await trigger.getAttribute('aria-label')).toBe('Buscar en todo');
    await trigger.click();
    const input = page.getByRole('combobox', { name: 'Buscar en todo' });
    await input.fill('leocadia');
    await page.locator('[data-testid="search-group-contacts"]').waitFor(WAIT);
    // The agent's role reads contacts, conversations and cases, not leads.
    expect(await groupTypes(page)).toEqual(['search-group-contacts', 'search-group-conversations']);
    expect(await page.getByRole('group', { name: 'Contactos' }).count()).toBe(1);
    expect(await pageOverflowsX(page)).toBe(false);
    await input.fill('cafetera');
    await page.locator('[data-testid="search-group-cases"]').waitFor(WAIT);
    expect(await groupTypes(page)).toEqual(['search-group-conversations', 'search-group-cases']);
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached', ...WAIT });

    // `/` opens the search, `?` the help (with the inbox's keys for an agent).
    await page.locator('body').press('/');
    await input.waitFor(WAIT);
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached', ...WAIT });
    await page.locator('body').press('?');
    const help = page.getByTestId('shortcut-help');
    await help.waitFor(WAIT);
    const text = (await help.textContent())!;
    for (const label of ['Buscar en todo', 'Conversación siguiente', 'Responder al cliente']) {
      expect(text).toContain(label);
    }
    expect(await pageOverflowsX(page)).toBe(false);
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'detached', ...WAIT });
    expect(pageErrors).toEqual([]);
  });
});
