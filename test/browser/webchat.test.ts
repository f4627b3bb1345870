/**
 * The embeddable widget in a real headless Chromium (Debian's, driven by playwright-core) against
 * a real Charla: the demo page at `/`, sessions kept across reloads, messages both ways over HTTP
 * and the WebSocket, quick replies, input hints from `awaiting`, and a visitor completing the
 * lead-capture flow. The visitor answers whatever slot the last bot message awaits, so the test
 * does not depend on the bot's wording.
 */
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebchatSession } from '../../channels/webchat/session.model.js';
import { findConversation } from '../../src/kernel/db/conversations.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { settledSession } from '../channels/webchat/client.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOT_DIR = process.env.WEBCHAT_SCREENSHOT_DIR ?? tmpdir();

describe('web chat widget in Chromium', () => {
  let app: TestApp;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium`);
    }
    app = await startTestApp();
    browser = await chromium.launch({
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
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await app?.stop();
  });

  async function openDemo(locale: string): Promise<Page> {
    const context = await browser.newContext({ locale, viewport: { width: 1200, height: 800 } });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${app.url}/`);
    return page;
  }

  const messages = (page: Page) => page.locator('[data-testid="charla-message"]');
  const input = (page: Page) => page.getByTestId('charla-input');

  async function sessionOf(page: Page): Promise<{ sessionId: string; token: string }> {
    // The widget creates its session on first open; wait for it to be stored.
    const handle = await page.waitForFunction(() => {
      const key = Object.keys(localStorage).find((k) => k.startsWith('charla-webchat:'));
      return key ? localStorage.getItem(key) : null;
    });
    return JSON.parse((await handle.jsonValue()) as string) as { sessionId: string; token: string };
  }

  /**
   * Sends `text` as the visitor, waits until the engine answered it and the widget shows the
   * answer, and returns what the last bot message awaits.
   */
  async function say(page: Page, text: string, inboundSoFar: number) {
    await input(page).fill(text);
    await input(page).press('Enter');
    return settleTurn(page, inboundSoFar + 1);
  }

  async function settleTurn(page: Page, inbound: number) {
    const { sessionId } = await sessionOf(page);
    const { outbound } = await settledSession(sessionId, inbound);
    const last = outbound[outbound.length - 1]!;
    const bubble = page.locator(`[data-message-id="${last._id.toHexString()}"]`);
    await bubble.waitFor();
    // The visitor's own message is confirmed (no longer pending) once the server stored it.
    await page.locator('[data-pending]').first().waitFor({ state: 'detached' });
    return {
      slot: await bubble.getAttribute('data-awaiting-slot'),
      text: (await bubble.textContent()) ?? '',
    };
  }

  it('serves the demo page and chats through the widget, keeping the session on reload', async () => {
    const page = await openDemo('es-ES');
    await expect(page.getByTestId('demo-title').textContent()).resolves.toBe('Charla');
    const panel = page.getByTestId('charla-panel');
    expect(await panel.isVisible()).toBe(false);

    await page.getByTestId('charla-launcher').click();
    await panel.waitFor({ state: 'visible' });
    await page.getByTestId('charla-welcome').waitFor();
    expect(await input(page).getAttribute('placeholder')).toBe('Escribe un mensaje…');

    await say(page, 'hola', 0);
    const { sessionId } = await sessionOf(page);
    const { messages: stored } = await settledSession(sessionId);
    const shownIds = await messages(page).evaluateAll((els) =>
      els.map((e) => e.getAttribute('data-message-id')),
    );
    expect(shownIds).toEqual(stored.map((m) => m._id.toHexString()));
    expect(await messages(page).first().textContent()).toBe('hola');
    expect(await messages(page).first().getAttribute('data-direction')).toBe('in');
    expect(await input(page).inputValue()).toBe('');

    // A reload keeps the session (localStorage) and shows the history again.
    await page.reload();
    await page.getByTestId('charla-launcher').click();
    await page.locator(`[data-message-id="${shownIds[shownIds.length - 1]}"]`).waitFor();
    expect((await sessionOf(page)).sessionId).toBe(sessionId);
    expect(
      await messages(page).evaluateAll((els) => els.map((e) => e.getAttribute('data-message-id'))),
    ).toEqual(shownIds);
  });

  it('creates one session when the visitor writes before the session exists', async () => {
    const page = await openDemo('es-ES');
    // Slow session creation down, so the first message is sent while it is still in flight.
    await page.route(/\/api\/webchat\/sessions$/, async (route) => {
      await new Promise((r) => setTimeout(r, 400));
      await route.continue();
    });
    const before = await WebchatSession.countDocuments();
    await page.getByTestId('charla-launcher').click();
    await input(page).fill('hola');
    await input(page).press('Enter');
    await settleTurn(page, 1);
    expect(await WebchatSession.countDocuments()).toBe(before + 1);
    const { sessionId } = await sessionOf(page);
    expect(await WebchatSession.exists({ sessionId })).toBeTruthy();
  });

  it('shows pushed staff replies, quick replies and input hints without a reload', async () => {
    const page = await openDemo('en-US');
    await page.getByTestId('charla-launcher').click();
    expect(await input(page).getAttribute('placeholder')).toBe('Type a message…');
    await say(page, 'hello', 0);
    const { sessionId } = await sessionOf(page);
    const conversation = (await settledSession(sessionId)).conversations[0]!;
    const conv = (await findConversation(conversation._id))!;
    const outbox = app.charla.services.outbox;

    // A human agent's reply arrives over the WebSocket and is labelled as such.
    const [staff] = await outbox.send(conv, [{ text: 'Hi, this is Marta from sales.' }], {
      kind: 'staff',
      staff: { id: 'U1', name: 'Marta' },
    });
    const staffBubble = page.locator(`[data-message-id="${staff!._id.toHexString()}"]`);
    await staffBubble.waitFor();
    expect(await staffBubble.getAttribute('data-author')).toBe('staff');
    expect(await staffBubble.textContent()).toContain('Agent');

    // A prompt awaiting an email switches the input to an email field with quick replies.
    const [prompt] = await outbox.send(conv, [
      {
        text: 'Which plan?',
        quickReplies: [
          { title: 'Basic', payload: 'plan basic' },
          { title: 'Pro', payload: 'plan pro' },
        ],
        awaiting: { flow: 'demo', slot: 'email' },
      },
    ]);
    await page.locator(`[data-message-id="${prompt!._id.toHexString()}"]`).waitFor();
    const buttons = page.getByTestId('charla-quick-reply');
    expect(await buttons.allTextContents()).toEqual(['Basic', 'Pro']);
    expect(await input(page).getAttribute('type')).toBe('text');
    expect(await input(page).getAttribute('inputmode')).toBe('email');
    expect(await input(page).getAttribute('autocomplete')).toBe('email');

    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'webchat-widget-en.png') });

    // Pressing a quick reply sends its payload as the visitor's message.
    await buttons.filter({ hasText: 'Pro' }).click();
    await settleTurn(page, 2);
    const texts = await page
      .locator('[data-testid="charla-message"][data-direction="in"]')
      .allTextContents();
    expect(texts).toEqual(['hello', 'plan pro']);
    // The prompt's buttons are gone once one is pressed (the bot's answer may bring its own: a
    // clarifying question or the "what I can do" menu, issue 18).
    expect(await buttons.filter({ hasText: /^(Basic|Pro)$/ }).count()).toBe(0);
  });

  it('falls back to polling while the WebSocket is down, then reconnects', async () => {
    const page = await openDemo('es-ES');
    let socketDown = true;
    // Every stream connection is refused while "down", as behind a proxy that drops WebSockets.
    await page.routeWebSocket(/\/stream\?/, (ws) => {
      if (socketDown) void ws.close({ code: 1011, reason: 'down' });
      else ws.connectToServer();
    });
    await page.getByTestId('charla-launcher').click();
    await say(page, 'hola', 0);
    const status = page.getByTestId('charla-status');
    await page.locator('#charla-status[data-state="offline"]').waitFor();
    expect(await status.textContent()).toBe('Sin conexión, reintentando…');

    const { sessionId } = await sessionOf(page);
    const conversation = (await settledSession(sessionId)).conversations[0]!;
    const conv = (await findConversation(conversation._id))!;
    const [reply] = await app.charla.services.outbox.send(conv, [{ text: 'Seguimos aquí' }], {
      kind: 'staff',
      staff: { id: 'U2' },
    });
    // No socket: the message arrives through GET polling.
    await page.locator(`[data-message-id="${reply!._id.toHexString()}"]`).waitFor();

    socketDown = false;
    await page.locator('#charla-status[data-state="online"]').waitFor({ timeout: 45_000 });
    expect(await status.textContent()).toBe('En línea');
  }, 60_000);

  it('lets a visitor complete the lead capture, creating a webchat Lead', async () => {
    const page = await openDemo('es-ES');
    await page.getByTestId('charla-launcher').click();

    const answers: Record<string, string[]> = {
      name: ['Ana López'],
      // First an invalid address: the bot must ask for the email again.
      email: ['ana.lopez.example.com', 'ana@example.com'],
      phone: ['+34 612 345 678'],
      company: ['Acme SL'],
      description: ['Necesito una cotización para 20 usuarios'],
      interest: ['Plan de empresa'],
    };
    const asked: string[] = [];
    let inbound = 0;
    let turn = await say(page, 'Hola, quiero una cotización para mi empresa', inbound++);
    for (let i = 0; turn.slot && i < 15; i++) {
      const slot = turn.slot;
      asked.push(slot);
      const hint = await input(page).getAttribute('type');
      if (slot === 'email') expect(await input(page).getAttribute('inputmode')).toBe('email');
      if (slot === 'phone') expect(hint).toBe('tel');
      if (slot === 'confirm') {
        const yes = page.getByTestId('charla-quick-reply').filter({ hasText: /^(s[ií]|yes)/i });
        if ((await yes.count()) > 0) {
          await yes.first().click();
          turn = await settleTurn(page, ++inbound);
        } else {
          turn = await say(page, 'sí', inbound++);
        }
        continue;
      }
      const queue = answers[slot];
      const answer = queue && queue.length > 1 ? queue.shift()! : (queue?.[0] ?? 'saltar');
      turn = await say(page, answer, inbound++);
    }
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'webchat-widget-lead.png') });

    expect(asked).toContain('name');
    expect(asked.filter((s) => s === 'email')).toHaveLength(2);
    expect(asked).toContain('confirm');
    expect(turn.slot).toBeNull();

    const res = await fetch(`${app.url}/api/leads?email=ana@example.com&channel=webchat`, {
      headers: app.admin,
    });
    const body = (await res.json()) as { items: Array<Record<string, unknown>>; total: number };
    expect(res.status).toBe(200);
    expect(body.total).toBe(1);
    expect(body.items[0]).toMatchObject({
      name: 'Ana López',
      email: 'ana@example.com',
      channel: 'webchat',
    });
    if (asked.includes('phone')) expect(body.items[0]?.phone).toBe('+34612345678');
  }, 90_000);
});
