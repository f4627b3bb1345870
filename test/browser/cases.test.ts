/**
 * The cases pages in a real Chromium against a real Charla: the list (table and board) renders a
 * web chat visitor's case with its SLA badge, an agent resolves it on the case page, and the
 * visitor's widget shows the resolution notice and the rating buttons; a viewer reads without
 * controls; the phone width does not scroll sideways.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSeedUsers } from '../../scripts/console-seed.js';
import { createCase } from '../../src/kernel/db/cases.js';
import { Case } from '../../src/kernel/db/models/case.js';
import { settledSession } from '../channels/webchat/client.js';
import { startTestApp, type TestApp } from '../support/app.js';
import {
  PHONE,
  ensureConsoleBuilt,
  launchChromium,
  newConsoleContext,
  openConsole,
  pageOverflowsX,
  signInAs,
} from './console-support.js';

describe('console: cases', () => {
  let app: TestApp;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    ensureConsoleBuilt();
    app = await startTestApp();
    await createSeedUsers(app.url, app.admin);
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await app?.stop();
  });

  async function newPage(opts: Parameters<typeof newConsoleContext>[1] = {}) {
    const c = await newConsoleContext(browser, opts);
    contexts.push(c);
    return { context: c, page: await c.newPage() };
  }

  /** A visitor on the demo page who wrote `text`; returns their conversation. */
  async function visitorSays(page: Page, text: string) {
    await page.getByTestId('charla-input').fill(text);
    await page.getByTestId('charla-input').press('Enter');
    const handle = await page.waitForFunction(() => {
      const key = Object.keys(localStorage).find((k) => k.startsWith('charla-webchat:'));
      return key ? localStorage.getItem(key) : null;
    });
    const { sessionId } = JSON.parse((await handle.jsonValue()) as string) as { sessionId: string };
    return (await settledSession(sessionId)).conversations[0]!;
  }

  it('an agent resolves a case and the web chat visitor is told, with rating buttons', async () => {
    const { page: visitor } = await newPage({ locale: 'en-GB' });
    await visitor.goto(`${app.url}/`);
    await visitor.getByTestId('charla-launcher').click();
    const conversation = await visitorSays(visitor, 'hello, my parcel never arrived');
    const c = await createCase({
      type: 'support',
      contactId: conversation.contactId,
      conversationId: conversation._id,
      channel: 'webchat',
      subject: 'Parcel <b>never</b> arrived',
    });
    const id = c._id.toHexString();

    const { context, page } = await newPage({ locale: 'es-ES' });
    await signInAs(context, app.url, 'agent');
    await openConsole(page, app.url, '/cases');
    const row = page.locator(`[data-testid="case-row"][data-case-id="${id}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain('Parcel <b>never</b> arrived');
    // The desktop cell (the phone line under the subject is hidden at this width).
    const badge = row.locator('[data-testid="sla-badge"]:visible');
    expect(await badge.getAttribute('data-sla')).toBe('ok');
    expect(await badge.textContent()).toContain('En plazo');

    await openConsole(page, app.url, '/cases?view=board');
    const card = page.locator(
      `[data-testid="board-column"][data-status="open"] [data-testid="case-card"][data-case-id="${id}"]`,
    );
    await card.waitFor();
    await card.getByRole('link').click();
    await page.waitForURL(`${app.url}/console/cases/${id}`);
    await page.getByTestId('case-header').waitFor();

    await page.getByTestId('case-note-text').fill('Revisar con el transportista');
    await page.getByTestId('case-note-add').click();
    await page
      .getByTestId('case-note')
      .filter({ hasText: 'Revisar con el transportista' })
      .waitFor();

    await page.getByTestId('case-status-select').click();
    await page.getByRole('option', { name: 'Resuelto' }).click();
    await page.getByTestId('case-save').click();
    await page.locator('[data-testid="case-header"][data-status="resolved"]').waitFor();

    // The visitor's widget shows the notice (in English, the visitor's language) and the buttons.
    const notice = visitor
      .locator('[data-testid="charla-message"]')
      .filter({ hasText: `Your case ${c.number} has been resolved` });
    await notice.waitFor({ timeout: 15_000 });
    await visitor
      .locator('[data-testid="charla-message"]')
      .filter({ hasText: 'Please rate us from 1 (poor) to 5 (excellent)' })
      .waitFor();
    await visitor.getByRole('button', { name: '5', exact: true }).click();
    await expect
      .poll(async () => (await Case.findById(id).lean())?.csat?.rating ?? null, {
        timeout: 15_000,
      })
      .toBe(5);
    await page.reload();
    await page.getByTestId('case-csat').filter({ hasText: '5 de 5' }).waitFor();
  });

  it('a viewer reads a case without controls; the phone width does not scroll sideways', async () => {
    const [k] = await Case.find().limit(1).lean();
    const { context, page } = await newPage({ locale: 'en-GB', viewport: PHONE });
    await signInAs(context, app.url, 'viewer');
    await openConsole(page, app.url, `/cases/${k!._id.toHexString()}`);
    await page.getByTestId('case-read-only').waitFor();
    expect(await page.getByTestId('case-save').count()).toBe(0);
    expect(await page.getByTestId('case-note-text').count()).toBe(0);
    expect(await pageOverflowsX(page)).toBe(false);
    await openConsole(page, app.url, '/cases');
    await page.locator('[data-testid="case-row"]').first().waitFor();
    expect(await pageOverflowsX(page)).toBe(false);
  });
});
