/**
 * "Write to this contact" (issue 19.3) in a real Chromium against a real Charla (FerretDB,
 * Redis, web chat, WhatsApp Cloud on a fake Graph API): an agent opens a web chat customer's page
 * (their conversation closed), picks the channel in the dialog, sends — and lands on the
 * conversation the message opened again, showing it, while the visitor receives it; a WhatsApp
 * customer whose last message is 25 hours old shows the 24-hour reason, in Spanish, and the
 * dialog offers no send.
 */
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSeedUsers } from '../../scripts/console-seed.js';
import { closeConversation } from '../../src/kernel/db/conversations.js';
import { Contact } from '../../src/kernel/db/models/contact.js';
import { Conversation } from '../../src/kernel/db/models/conversation.js';
import { webchatClient, type MessageItem } from '../channels/webchat/client.js';
import {
  postWebhook,
  startFakeGraph,
  whatsappWebhook,
  type FakeGraph,
} from '../fakes/whatsapp-graph.js';
import { eventually, startTestApp, type TestApp } from '../support/app.js';
import {
  ensureConsoleBuilt,
  launchChromium,
  newConsoleContext,
  openConsole,
  pageOverflowsX,
  PHONE,
  signInAs,
} from './console-support.js';

const TOKEN = 'graph-token-write';
const PHONE_ID = '5550002';
const SECRET = 'app-secret-write';
const WAIT = { timeout: 30_000 };

describe('console: write to this contact', () => {
  let app: TestApp;
  let graph: FakeGraph;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    ensureConsoleBuilt();
    graph = await startFakeGraph({ token: TOKEN, phoneId: PHONE_ID });
    app = await startTestApp({
      WHATSAPP_CLOUD_TOKEN: TOKEN,
      WHATSAPP_CLOUD_PHONE_ID: PHONE_ID,
      WHATSAPP_APP_SECRET: SECRET,
      WHATSAPP_VERIFY_TOKEN: 'verify-write',
      WHATSAPP_GRAPH_URL: graph.url,
    });
    await createSeedUsers(app.url, app.admin);
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await app?.stop();
    await graph?.close();
  });

  async function agentPage(locale: string, viewport?: { width: number; height: number }) {
    const context = await newConsoleContext(browser, { locale, viewport });
    contexts.push(context);
    await signInAs(context, app.url, 'agent');
    return context.newPage();
  }

  it('an agent writes to a web chat customer and lands on the conversation with the message', async () => {
    const web = webchatClient(app.url);
    const s = await web.createSession('en');
    expect((await web.post(s, { text: 'Do you ship to Lisbon?' })).status).toBe(202);
    const first = await eventually(async () => {
      const c = await Conversation.findById(s.conversationId).lean();
      return c?.lastMessageAt ? c : undefined;
    });
    const contactId = String(first.contactId);
    await Contact.updateOne({ _id: first.contactId }, { name: 'Joana Silva' });
    // Closed: sending opens a new conversation on the same session, so the page to land on is
    // the one the answer names, not the one the contact page listed.
    await closeConversation(first._id);

    const page = await agentPage('en-GB');
    await openConsole(page, app.url, `/contacts/${contactId}`);
    await page.getByTestId('write-open').click();
    const dialog = page.getByTestId('write-dialog');
    const webchat = dialog.locator('[data-testid="write-channel"][data-channel="webchat"]');
    await webchat.waitFor(WAIT);
    expect(await webchat.getAttribute('data-reachable')).toBe('true');
    expect(await webchat.getByTestId('write-channel-reason').textContent()).toBe(
      'You can write now.',
    );
    expect(await dialog.getByRole('radio', { name: /Web chat/i }).isChecked()).toBe(true);
    const send = dialog.getByTestId('write-send');
    expect(await send.isDisabled()).toBe(true); // nothing typed yet
    const text = 'Hi Joana, yes: we ship to Lisbon in 3 days.';
    await dialog.getByLabel('Message').fill(text);
    await send.click();

    const opened = await eventually(async () => {
      const c = await Conversation.findOne({
        contactId: first.contactId,
        _id: { $ne: first._id },
      }).lean();
      return c?.status === 'assigned' ? c : undefined;
    });
    const newId = opened._id.toHexString();
    await page.waitForURL(`${app.url}/console/conversations/${newId}`, WAIT);
    await page.locator('[data-testid="conversation-status"][data-status="assigned"]').waitFor(WAIT);
    await page.getByTestId('message-text').filter({ hasText: text }).waitFor(WAIT);
    await page.getByTestId('write-dialog').waitFor({ state: 'detached', ...WAIT });

    // The visitor's widget receives it.
    await eventually(async () =>
      ((await web.list(s)).body as { messages: MessageItem[] }).messages.some(
        (m) => m.text === text,
      ),
    );
  }, 240_000);

  it('a WhatsApp customer outside the 24-hour window: the reason, in Spanish, and no send', async () => {
    const from = '34622333444';
    const hello = whatsappWebhook({
      phoneId: PHONE_ID,
      from,
      messages: [{ id: 'wamid.write-1', type: 'text', text: { body: 'hola' } }],
    });
    expect((await postWebhook(app.url, hello, SECRET)).status).toBe(200);
    const c = await eventually(async () => {
      const found = await Conversation.findOne({
        channel: 'whatsapp',
        platformUserId: from,
      }).lean();
      return found?.lastMessageAt ? found : undefined;
    });
    // Let the bot's answer go out first, then age the customer's last message by 25 hours.
    await eventually(async () => graph.delivered(from).length > 0);
    await Conversation.updateOne(
      { _id: c._id },
      { $set: { lastMessageAt: new Date(Date.now() - 25 * 3_600_000) } },
    );
    const sentBefore = graph.delivered(from).length;

    const page = await agentPage('es-ES', PHONE);
    await openConsole(page, app.url, `/contacts/${String(c.contactId)}`);
    await page.getByTestId('write-open').click();
    const dialog = page.getByTestId('write-dialog');
    const wa = dialog.locator('[data-testid="write-channel"][data-channel="whatsapp"]');
    await wa.waitFor(WAIT);
    expect(await wa.getAttribute('data-reachable')).toBe('false');
    expect(await wa.getByTestId('write-channel-reason').textContent()).toMatch(
      /24 horas siguientes al último mensaje del cliente/,
    );
    expect(await dialog.getByRole('radio').isDisabled()).toBe(true);
    await dialog.getByTestId('write-nowhere').waitFor(WAIT);
    expect(await dialog.getByTestId('write-send').isDisabled()).toBe(true);
    expect(await dialog.getByLabel('Mensaje').isDisabled()).toBe(true);
    expect(await pageOverflowsX(page)).toBe(false);

    // Nothing went out and nothing changed hands.
    expect(graph.delivered(from).length).toBe(sentBefore);
    expect((await Conversation.findById(c._id).lean())!.status).toBe('bot');
  }, 240_000);
});
