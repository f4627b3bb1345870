/**
 * Sequences in a real Chromium against a real Charla: a marketer builds one on the page (trigger,
 * a message in Spanish only, a wait) and it is stored as built; an agent sees a customer's run on
 * the contact page and stops it. Spanish on a desktop, English on a phone.
 */
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSeedUsers } from '../../scripts/console-seed.js';
import { Contact } from '../../src/kernel/db/models/contact.js';
import { Enrolment, Sequence } from '../../src/features/sequences/model.js';
import { startTestApp, type TestApp } from '../support/app.js';
import {
  DESKTOP,
  ensureConsoleBuilt,
  launchChromium,
  newConsoleContext,
  openConsole,
  PHONE,
  pageOverflowsX,
  signInAs,
} from './console-support.js';

describe('console: sequences', () => {
  let app: TestApp;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    ensureConsoleBuilt();
    app = await startTestApp();
    await createSeedUsers(app.url, app.admin);
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await app?.stop();
  });

  async function pageAs(role: 'marketer' | 'agent', locale: string, viewport = DESKTOP) {
    const context = await newConsoleContext(browser, { locale, viewport });
    contexts.push(context);
    await signInAs(context, app.url, role);
    return context.newPage();
  }

  it('a marketer builds a sequence on the page and it is stored as built', async () => {
    const page = await pageAs('marketer', 'es-ES');
    await openConsole(page, app.url, '/sequences');
    await page.getByTestId('sequence-add').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByTestId('sequence-name').fill('Bienvenida VIP');
    await dialog.getByTestId('sequence-trigger').click();
    await page.getByRole('option', { name: 'Un lead recibe una etiqueta' }).click();
    await dialog.getByTestId('sequence-tag').fill('vip');
    await dialog
      .getByTestId('step-text-es')
      .fill('Hola {{contact.name}}, gracias por escribirnos.');
    await dialog.getByRole('button', { name: 'Añadir una espera' }).click();
    await dialog.getByTestId('sequence-save').click();
    await expect.poll(() => page.getByTestId('sequence-row').count(), { timeout: 30_000 }).toBe(1);
    await expect.poll(() => page.getByTestId('sequence-row').innerText()).toContain('2 pasos');
    const stored = await Sequence.findOne({ name: 'Bienvenida VIP' }).lean();
    expect(stored).toMatchObject({
      triggerType: 'tag.added',
      trigger: { type: 'tag.added', tag: 'vip' },
    });
    expect(stored!.steps).toEqual([
      {
        kind: 'send',
        channel: 'email',
        message: { es: { text: 'Hola {{contact.name}}, gracias por escribirnos.' } },
      },
      { kind: 'wait', days: 2 },
    ]);
  }, 120_000);

  it('an agent sees a customer’s run on the contact page and stops it (phone, English)', async () => {
    const sequence = await Sequence.findOne({ name: 'Bienvenida VIP' }).lean();
    const contact = await Contact.create({
      name: 'Iris Vale',
      locale: 'en',
      emails: ['iris@example.com'],
    });
    const res = await fetch(`${app.url}/api/sequences/${sequence!._id}/enrolments`, {
      method: 'POST',
      headers: { ...app.admin, 'content-type': 'application/json' },
      body: JSON.stringify({ contactId: contact._id.toHexString() }),
    });
    expect(res.status).toBe(201);
    const page = await pageAs('agent', 'en-GB', PHONE);
    await openConsole(page, app.url, `/contacts/${contact._id}`);
    const section = page.getByTestId('contact-sequences');
    await expect.poll(() => section.innerText(), { timeout: 30_000 }).toContain('Bienvenida VIP');
    expect(await section.innerText()).toMatch(/in progress/i);
    await section.getByRole('button', { name: 'Stop' }).click();
    await expect.poll(() => section.innerText(), { timeout: 30_000 }).toMatch(/stopped/i);
    const run = await Enrolment.findOne({ contactId: contact._id }).lean();
    expect(run).toMatchObject({ status: 'stopped', reason: 'stopped by staff' });
    expect(await pageOverflowsX(page)).toBe(false);
  }, 120_000);
});
