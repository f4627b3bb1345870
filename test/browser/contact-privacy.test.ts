/**
 * The contact page's privacy actions in a real Chromium against a real Charla: an admin downloads
 * the export, opens "Erase", sees what will go, and the button stays disabled until the typed
 * confirmation is right (BORRAR in Spanish, or the contact's name); after erasing, the page shows
 * the erased state and the contact is gone from the list. A marketer sees no privacy actions.
 * Also: the engagement summary and a frustrated conversation's badge and sparkline.
 */
import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext } from 'playwright-core';
import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatAsVisitor, createSeedUsers } from '../../scripts/console-seed.js';
import { addContactDetails } from '../../src/kernel/db/contacts.js';
import { Contact } from '../../src/kernel/db/models/contact.js';
import { startTestApp, type TestApp } from '../support/app.js';
import {
  ensureConsoleBuilt,
  launchChromium,
  newConsoleContext,
  openConsole,
  PHONE,
  pageOverflowsX,
  signInAs,
} from './console-support.js';

const NAME = 'Rosalía Etxeberria-Montalbán';

describe('console: a contact’s engagement, sentiment, export and erasure', () => {
  let app: TestApp;
  let browser: Browser;
  let contactId = '';
  let conversationId = '';
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    ensureConsoleBuilt();
    app = await startTestApp();
    await createSeedUsers(app.url, app.admin);
    const visitor = await chatAsVisitor(app.url, 'es', [
      'hola',
      'es una vergüenza, llevo tres días esperando',
      'estoy harto, esto no funciona',
    ]);
    contactId = visitor.contactId.toHexString();
    conversationId = visitor.conversationId.toHexString();
    await addContactDetails(visitor.contactId, { name: NAME, email: 'rosalia@example.com' });
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await app?.stop();
  });

  async function pageAs(role: 'admin' | 'marketer', locale = 'es-ES', viewport = PHONE) {
    const context = await newConsoleContext(browser, { locale, viewport });
    contexts.push(context);
    await signInAs(context, app.url, role);
    return context.newPage();
  }

  it('shows engagement and the frustrated conversation; marketers get no privacy actions', async () => {
    const page = await pageAs('marketer', 'en-GB');
    await openConsole(page, app.url, `/contacts/${contactId}`);
    const engagement = page.getByTestId('engagement');
    await expect(engagement.getByTestId('engagement-conversations').textContent()).resolves.toBe(
      '1',
    );
    const conversations = page.getByTestId('contact-conversations');
    await expect(conversations.getByTestId('frustrated-badge').textContent()).resolves.toMatch(
      /Frustrated/,
    );
    await conversations.getByTestId('sentiment-trend').waitFor();
    expect(await page.getByTestId('privacy-actions').count()).toBe(0);
    expect(await pageOverflowsX(page)).toBe(false);

    await openConsole(page, app.url, `/conversations/${conversationId}`);
    // On a phone the customer panel folds under a button above the chat.
    await page.getByTestId('customer-panel-toggle').click();
    const side = page.getByTestId('conversation-sentiment');
    await side.getByTestId('frustrated-badge').waitFor();
    const chart = side.getByRole('img');
    await expect(chart.getAttribute('aria-label')).resolves.toMatch(/last 3 customer messages/);
  });

  it('exports, then erases only after the right typed confirmation', async () => {
    const page = await pageAs('admin', 'es-ES');
    await openConsole(page, app.url, `/contacts/${contactId}`);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-data').click(),
    ]);
    expect(download.suggestedFilename()).toBe(`contact-${contactId}.json`);
    const exported = JSON.parse(readFileSync((await download.path())!, 'utf8'));
    expect(exported).toMatchObject({ contactId, contact: { name: NAME } });

    await page.getByTestId('erase-open').click();
    const dialog = page.getByRole('dialog');
    await expect(dialog.getByTestId('erase-what').textContent()).resolves.toMatch(
      /Conversaciones: 1/,
    );
    const submit = dialog.getByTestId('erase-submit');
    const input = dialog.getByLabel(/escribe BORRAR o el nombre/);
    expect(await submit.isDisabled()).toBe(true);
    for (const wrong of ['ERASE', 'borra', 'Rosalía']) {
      await input.fill(wrong);
      expect(await submit.isDisabled()).toBe(true);
    }
    // Nothing was erased by the wrong attempts (the button cannot be pressed, Enter neither).
    await input.press('Enter');
    expect((await Contact.findById(contactId).lean())?.name).toBe(NAME);

    await input.fill('borrar');
    expect(await submit.isDisabled()).toBe(false);
    await input.fill(NAME);
    expect(await submit.isDisabled()).toBe(false);
    await submit.click();

    await page.getByTestId('erased-contact').waitFor();
    await expect(page.locator('h1').textContent()).resolves.toBe('Contacto borrado');
    expect(await page.getByTestId('erase-open').count()).toBe(0);
    expect(await page.getByText(NAME).count()).toBe(0);
    const stored = await Contact.collection.findOne({ _id: new Types.ObjectId(contactId) });
    expect(stored?.erasedAt).toBeInstanceOf(Date);
    expect(stored?.name).toBeUndefined();

    await openConsole(page, app.url, `/contacts?q=${encodeURIComponent('Rosal')}`);
    expect(await page.getByText(NAME).count()).toBe(0);
  });
});
