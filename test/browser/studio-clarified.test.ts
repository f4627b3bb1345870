/**
 * "Understood after a question" on the studio's unanswered page, in a real Chromium against a
 * real Charla: a customer message the bot asked about, with the intent the customer picked, is
 * listed (personal data masked), and "Add" puts it in that intent's training phrases in the draft.
 */
import type { Browser, BrowserContext } from 'playwright-core';
import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSeedUsers } from '../../scripts/console-seed.js';
import { Message } from '../../src/kernel/db/models/message.js';
import { startTestApp, type TestApp } from '../support/app.js';
import {
  DESKTOP,
  ensureConsoleBuilt,
  launchChromium,
  newConsoleContext,
  openConsole,
  signInAs,
} from './console-support.js';

const ASKED = 'mi pedido de la nevera no llega y ya pagué, escríbeme a lola@example.com';

describe('studio: messages understood after a clarifying question', () => {
  let app: TestApp;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    ensureConsoleBuilt();
    app = await startTestApp();
    await createSeedUsers(app.url, app.admin);
    // Stored as a turn would leave them (no turn runs: nothing is queued).
    const base = {
      conversationId: new Types.ObjectId(),
      contactId: new Types.ObjectId(),
      channel: 'telegram',
      direction: 'in',
      author: 'customer',
      status: 'processed',
    } as const;
    const original = await Message.create({
      ...base,
      dedupeKey: 'clarified-original',
      text: ASKED,
      nlu: { language: 'es', intent: null, confidence: 0.4 },
    });
    await Message.create({
      ...base,
      dedupeKey: 'clarified-pick',
      text: 'Abrir una incidencia',
      answerTo: 'clarification',
      clarified: { of: original._id, intent: 'open_case' },
    });
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await app?.stop();
  });

  it('lists the pick with personal data masked and adds it to the intent', async () => {
    const context = await newConsoleContext(browser, { locale: 'es-ES', viewport: DESKTOP });
    contexts.push(context);
    await signInAs(context, app.url, 'admin');
    const page = await context.newPage();
    await openConsole(page, app.url, '/studio/unanswered');
    const row = page.getByTestId('clarified-pick');
    await expect(row.textContent()).resolves.toMatch(/eligió: open_case/);
    expect(await row.textContent()).not.toContain('lola@example.com');
    await row.getByRole('button', { name: 'Añadir a «open_case»' }).click();
    await page.getByText('1 frase añadida a «open_case» en el borrador.').waitFor();
    const draft = (await (
      await fetch(`${app.url}/api/catalogue/draft`, { headers: app.admin })
    ).json()) as { intents: { name: string; training: { es: string[] } }[] };
    const openCase = draft.intents.find((i) => i.name === 'open_case');
    expect(openCase?.training.es.some((p) => p.startsWith('mi pedido de la nevera no llega'))).toBe(
      true,
    );
  });
});
