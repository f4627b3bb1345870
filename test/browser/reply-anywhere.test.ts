/**
 * Reply anywhere, canned replies and the inbox's keyboard (issue 19.3, 19.4, 19.8) in a real
 * Chromium against a real Charla: an agent opens the case of a customer the bot holds, types `/`
 * in the case page's composer, picks a shared canned reply with the keyboard (its variables
 * filled: customer, case number, agent), sends it — which takes the conversation over — and the
 * visitor's widget shows it; on the conversation page `?` lists the shortcuts and `e` closes,
 * and the bot answers the visitor's next message again.
 */
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSeedUsers, SEED_USERS } from '../../scripts/console-seed.js';
import { Case } from '../../src/kernel/db/models/case.js';
import { Contact } from '../../src/kernel/db/models/contact.js';
import { Conversation } from '../../src/kernel/db/models/conversation.js';
import { Message } from '../../src/kernel/db/models/message.js';
import { eventually, startTestApp, type TestApp } from '../support/app.js';
import { settledSession } from '../channels/webchat/client.js';
import {
  ensureConsoleBuilt,
  launchChromium,
  newConsoleContext,
  openConsole,
  signInAs,
} from './console-support.js';

describe('console: reply anywhere with canned replies', () => {
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

  async function newPage(locale: string) {
    const c = await newConsoleContext(browser, { locale });
    contexts.push(c);
    return { context: c, page: await c.newPage() };
  }

  it('takes over from the case page with a canned reply; closing gives the bot back', async () => {
    const { page: visitor } = await newPage('es-ES');
    await visitor.goto(`${app.url}/`);
    await visitor.getByTestId('charla-launcher').click();
    await visitor.getByTestId('charla-input').fill('hola');
    await visitor.getByTestId('charla-input').press('Enter');
    const handle = await visitor.waitForFunction(() => {
      const key = Object.keys(localStorage).find((k) => k.startsWith('charla-webchat:'));
      return key ? localStorage.getItem(key) : null;
    });
    const { sessionId } = JSON.parse((await handle.jsonValue()) as string) as { sessionId: string };
    const settled = await settledSession(sessionId, 1);
    const conversation = settled.conversations[0]!;
    expect(conversation.status).toBe('bot');
    await Contact.updateOne({ _id: conversation.contactId }, { name: 'Lucía Gómez' });
    const theCase = await Case.create({
      number: 'CS-000777',
      conversationId: conversation._id,
      contactId: conversation.contactId,
      channel: 'webchat',
      description: 'La nevera no enfría',
    });
    const canned = await fetch(`${app.url}/api/canned-replies`, {
      method: 'POST',
      headers: { ...app.admin, 'content-type': 'application/json' },
      body: JSON.stringify({
        scope: 'shared',
        language: 'es',
        shortcut: 'seguimiento',
        title: 'Seguimiento del caso',
        text: 'Hola {{contact.name}}, soy {{agent.name}}. Sigo tu caso {{case.number}} ahora mismo.',
      }),
    });
    expect(canned.status).toBe(201);

    const { context, page } = await newPage('es-ES');
    await signInAs(context, app.url, 'agent');
    await openConsole(page, app.url, `/cases/${theCase._id.toHexString()}`);
    const box = page.getByTestId('case-reply-text');
    await box.click();
    await box.pressSequentially('/segui');
    await page.getByTestId('canned-picker').waitFor();
    expect(await box.getAttribute('aria-expanded')).toBe('true');
    await box.press('Enter');
    const expected = `Hola Lucía Gómez, soy ${SEED_USERS.agent.name}. Sigo tu caso CS-000777 ahora mismo.`;
    await eventually(async () => (await box.inputValue()) === expected);
    await box.press('Control+Enter');

    // The visitor's widget shows it; the conversation is now the agent's.
    await visitor
      .getByTestId('charla-messages')
      .getByText(expected, { exact: false })
      .waitFor({ timeout: 15_000 });
    const taken = await eventually(async () => {
      const c = await Conversation.findById(conversation._id).lean();
      return c?.status === 'assigned' ? c : undefined;
    });
    expect(taken.statusHistory.at(-1)).toMatchObject({ reason: 'agent' });

    // The conversation page: `?` lists the shortcuts, `e` closes (with its confirmation).
    await openConsole(page, app.url, `/conversations/${conversation._id.toHexString()}`);
    await page.locator('body').press('?');
    await page.getByTestId('shortcut-help').waitFor();
    await page.keyboard.press('Escape');
    await page.getByTestId('shortcut-help').waitFor({ state: 'detached' });
    await page.locator('body').press('e');
    await page.getByTestId('close-confirm').click();
    await page.locator('[data-testid="conversation-status"][data-status="bot"]').waitFor();

    // The bot answers the visitor again.
    const before = await Message.countDocuments({
      conversationId: conversation._id,
      direction: 'out',
      author: 'bot',
    });
    await visitor.getByTestId('charla-input').fill('¿Cuál es vuestro horario?');
    await visitor.getByTestId('charla-input').press('Enter');
    await eventually(
      async () =>
        (await Message.countDocuments({
          conversationId: conversation._id,
          direction: 'out',
          author: 'bot',
        })) > before,
      15_000,
    );
    expect((await Conversation.findById(conversation._id).lean())!.status).toBe('bot');
  });
});
