/**
 * "Edit details" on the customer page in a real Chromium against a real Charla: an agent on a
 * phone opens the dialog, a company name typed as a phone is refused with the server's reason and
 * the dialog keeps what was typed; a national number in the customer's country is saved in E.164
 * with notes and a custom field, shown on the page and stored. A second record of the same person
 * is merged after a preview and the merge undone. A viewer gets no edit or merge button.
 */
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSeedUsers } from '../../scripts/console-seed.js';
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

describe('console: editing a customer’s details', () => {
  let app: TestApp;
  let browser: Browser;
  let contactId = '';
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    ensureConsoleBuilt();
    app = await startTestApp();
    await createSeedUsers(app.url, app.admin);
    const contact = await Contact.create({
      name: 'Harriet Quinn',
      locale: 'en',
      country: 'GB',
      emails: ['harriet@example.co.uk'],
    });
    contactId = contact._id.toHexString();
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await app?.stop();
  });

  async function pageAs(role: 'agent' | 'viewer', locale: string) {
    const context = await newConsoleContext(browser, { locale, viewport: PHONE });
    contexts.push(context);
    await signInAs(context, app.url, role);
    return context.newPage();
  }

  it('refuses a bad phone with the reason, then saves the corrected details', async () => {
    const page = await pageAs('agent', 'en-GB');
    await openConsole(page, app.url, `/contacts/${contactId}`);
    await page.getByTestId('contact-edit').click();
    const dialog = page.getByRole('dialog');
    const phones = dialog.getByTestId('contact-edit-phones');
    await phones.fill('Acme Widgets Ltd');
    await phones.press('Enter');
    await dialog.getByTestId('contact-edit-notes').fill('Calls after 5 pm');
    await dialog.getByTestId('contact-edit-save').click();
    const error = dialog.getByTestId('contact-edit-error');
    await expect(error.textContent()).resolves.toMatch(/Acme Widgets Ltd.*not one valid phone/);
    expect((await Contact.findById(contactId).lean())?.phones).toEqual([]);

    // Remove the refused value (Backspace on the empty input drops the last one), type a real one.
    await phones.press('Backspace');
    await phones.fill('07911 123456');
    await phones.press('Enter');
    await dialog.getByTestId('contact-add-field').click();
    await dialog.getByLabel('Field', { exact: true }).fill('Customer number');
    await dialog.getByLabel('Value', { exact: true }).fill('C-1042');
    expect(await dialog.getByTestId('contact-edit-notes').inputValue()).toBe('Calls after 5 pm');
    await dialog.getByTestId('contact-edit-save').click();
    await dialog.waitFor({ state: 'detached' });

    await page.getByText('+447911123456').waitFor();
    const notes = page.getByTestId('contact-notes');
    await expect(notes.textContent()).resolves.toMatch(/Calls after 5 pm.*Customer number.*C-1042/);
    expect(await pageOverflowsX(page)).toBe(false);
    const stored = await Contact.findById(contactId).lean<Record<string, unknown>>();
    expect(stored).toMatchObject({
      phones: ['+447911123456'],
      notes: 'Calls after 5 pm',
      customFields: { 'Customer number': 'C-1042' },
    });
  });

  it('merges a second record of the same person after a preview, then undoes it', async () => {
    const other = await Contact.create({
      name: 'H. Quinn',
      emails: ['harriet.quinn@work.example'],
      tags: ['trade-fair'],
    });
    const otherId = other._id.toHexString();
    const page = await pageAs('agent', 'es-ES');
    await openConsole(page, app.url, `/contacts/${contactId}`);
    await page.getByTestId('merge-open').click();
    const dialog = page.getByRole('dialog');
    expect(await dialog.getByTestId('merge-confirm').isDisabled()).toBe(true);
    await dialog.getByTestId('merge-search').fill('Quinn');
    await dialog.getByRole('button', { name: 'Elegir a H. Quinn' }).click();
    const preview = dialog.getByTestId('merge-preview');
    await expect(preview.textContent()).resolves.toMatch(/harriet\.quinn@work\.example/);
    await expect(preview.textContent()).resolves.toMatch(/«H\. Quinn», no se conserva/);
    expect((await Contact.findById(otherId).lean())?.mergedInto).toBeUndefined();
    await dialog.getByTestId('merge-confirm').click();
    await dialog.waitFor({ state: 'detached' });

    const entry = page.getByTestId('merge-entry');
    await expect(entry.textContent()).resolves.toMatch(/Fusionado desde H\. Quinn/);
    expect(String((await Contact.findById(otherId).lean())?.mergedInto)).toBe(contactId);
    await page.getByText('trade-fair').first().waitFor();

    await entry.getByTestId('merge-undo').click();
    await entry.getByText(/Deshecha el/).waitFor();
    expect(await entry.getByTestId('merge-undo').count()).toBe(0);
    expect((await Contact.findById(otherId).lean())?.mergedInto).toBeUndefined();
    expect((await Contact.findById(contactId).lean())?.emails).toEqual(['harriet@example.co.uk']);
    expect(await pageOverflowsX(page)).toBe(false);
  });

  it('shows a viewer the details without an edit button', async () => {
    const page = await pageAs('viewer', 'es-ES');
    await openConsole(page, app.url, `/contacts/${contactId}`);
    await page.getByTestId('contact-notes').waitFor();
    expect(await page.getByTestId('contact-edit').count()).toBe(0);
    expect(await page.getByTestId('merge-open').count()).toBe(0);
  });
});
