/**
 * A day in the inbox (issue 19), in a real Chromium against a real Charla: two agents and an
 * admin in separate browser contexts, a visitor in the web chat widget. The visitor asks for a
 * person → both agents' consoles count it waiting and alert (opted in) → María goes available and
 * gets it automatically; a second customer goes to Beatriz (round-robin) → María answers with a
 * canned reply, its variables filled → hands it to Beatriz, whose inbox follows live → Beatriz
 * closes, the bot answers again → María replies from the customer's case page while the bot holds
 * the conversation (a take-over) → she closes → the bot resumes. The admin's teams page follows
 * presence and load live. Customer lines are unambiguous (the clarify stage asks about vague
 * ones); timeouts are generous and nothing is timed.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  chatAsVisitor,
  createSeedUsers,
  SEED_PASSWORD,
  SEED_USERS,
} from '../../scripts/console-seed.js';
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

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const WAIT = { timeout: 45_000 };
const BEATRIZ = { name: 'Beatriz Segunda', email: 'beatriz@example.com', role: 'agent' };

/** Records the browser notifications a page shows (permission granted), in `window.__notes`. */
function fakeNotifications() {
  const w = window as unknown as { __notes: string[]; Notification: unknown };
  w.__notes = [];
  class FakeNotification {
    static permission = 'granted';
    static requestPermission = async () => 'granted';
    constructor(title: string) {
      w.__notes.push(title);
    }
  }
  w.Notification = FakeNotification;
}

describe('the inbox journey: two agents, an admin and a visitor', () => {
  let app: TestApp;
  let browser: Browser;
  let ids: Record<string, string>;
  const contexts: BrowserContext[] = [];
  /** JavaScript errors of any page on the way (none expected). */
  const pageErrors: string[] = [];

  beforeAll(async () => {
    ensureConsoleBuilt();
    // No interval pass: assignments happen only on the events the journey causes.
    app = await startTestApp({}, { assignmentIntervalMs: 3_600_000 });
    ids = await createSeedUsers(app.url, app.admin);
    const res = await fetch(`${app.url}/api/users`, {
      method: 'POST',
      headers: { ...app.admin, 'content-type': 'application/json' },
      body: JSON.stringify({ ...BEATRIZ, password: SEED_PASSWORD }),
    });
    ids.beatriz = ((await res.json()) as Json).id;
    const canned = await fetch(`${app.url}/api/canned-replies`, {
      method: 'POST',
      headers: { ...app.admin, 'content-type': 'application/json' },
      body: JSON.stringify({
        scope: 'shared',
        language: 'es',
        shortcut: 'saludo',
        title: 'Saludo',
        text: 'Hola {{contact.name}}, soy {{agent.name}}. Miro tu caso {{case.number}} ahora mismo.',
      }),
    });
    expect(canned.status).toBe(201);
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await app?.stop();
  });

  async function staffPage(who: 'admin' | 'agent' | 'beatriz', locale: string): Promise<Page> {
    const context = await newConsoleContext(browser, { locale });
    contexts.push(context);
    await context.addInitScript(fakeNotifications);
    context.on('page', (p) =>
      p.on('pageerror', (err) => pageErrors.push(`${who}: ${err.message}`)),
    );
    if (who === 'beatriz') {
      const res = await context.request.post(`${app.url}/api/auth/login`, {
        data: { email: BEATRIZ.email, password: SEED_PASSWORD },
      });
      expect(res.status()).toBe(200);
    } else {
      await signInAs(context, app.url, who);
    }
    return context.newPage();
  }

  /** The inbox, live (socket up), alerts on. */
  async function inbox(page: Page) {
    await openConsole(page, app.url, '/conversations');
    await page.locator('[data-testid="live-indicator"][data-live="true"]').waitFor(WAIT);
    await page.getByTestId('alerts-toggle').click();
    await page.locator('[data-testid="alerts-toggle"][aria-pressed="true"]').waitFor(WAIT);
  }

  const notes = (page: Page) =>
    page.evaluate(() => (window as unknown as { __notes: string[] }).__notes);
  const conversation = (id: string) => Conversation.findById(id).lean();
  const botAnswers = (id: string) =>
    Message.countDocuments({ conversationId: id, direction: 'out', author: 'bot' });

  /** Sets the header's presence (desktop: a segmented control). */
  async function presence(page: Page, label: string, value: 'available' | 'away') {
    await page.getByTestId('presence').getByText(label, { exact: true }).click();
    await page.locator(`[data-testid="presence"][data-presence="${value}"]`).waitFor(WAIT);
  }

  it('runs from a waiting visitor to the bot taking over again', async () => {
    // ── The staff: the admin on the teams page, two agents in their inboxes, everybody away.
    const admin = await staffPage('admin', 'en-GB');
    await openConsole(admin, app.url, '/conversations');
    await admin.locator('[data-testid="live-indicator"][data-live="true"]').waitFor(WAIT);
    await admin.getByTestId('nav-teams').click();
    const agentRow = (id: string) =>
      admin.locator(`[data-testid="team-agent"][data-agent-id="${id}"]`);
    await agentRow(ids.agent!).waitFor(WAIT);

    const maria = await staffPage('agent', 'es-ES');
    const beatriz = await staffPage('beatriz', 'en-GB');
    await inbox(maria);
    await inbox(beatriz);

    // ── A visitor asks for a person: both inboxes count it waiting and alert, no reload.
    const visitorContext = await newConsoleContext(browser, { locale: 'es-ES' });
    contexts.push(visitorContext);
    const v = await visitorContext.newPage();
    v.on('pageerror', (err) => pageErrors.push(`visitor: ${err.message}`));
    await v.goto(`${app.url}/`);
    await v.getByTestId('charla-launcher').click();
    await v.getByTestId('charla-input').fill('quiero hablar con una persona');
    await v.getByTestId('charla-input').press('Enter');
    const handle = await v.waitForFunction(() => {
      const key = Object.keys(localStorage).find((k) => k.startsWith('charla-webchat:'));
      return key ? localStorage.getItem(key) : null;
    });
    const { sessionId } = JSON.parse((await handle.jsonValue()) as string) as { sessionId: string };
    const first = (await settledSession(sessionId, 1)).conversations[0]!;
    const id = first._id.toHexString();
    await eventually(async () => (await conversation(id))?.status === 'queued', 30_000);
    for (const page of [maria, beatriz]) {
      await page.locator('[data-testid="nav-inbox-count"]', { hasText: /^1$/ }).waitFor(WAIT);
      await page.getByTestId('view-unassigned').filter({ hasText: '· 1' }).waitFor(WAIT);
      await eventually(async () => (await notes(page)).length > 0, 30_000);
    }
    expect(await notes(maria)).toEqual(['Un cliente está esperando']);
    expect(await notes(beatriz)).toEqual(['A customer is waiting']);
    expect(await maria.title()).toMatch(/^\(1\) /);

    // The customer has a name and a case (as the bot or a colleague would have recorded).
    await Contact.updateOne({ _id: first.contactId }, { name: 'Lucía Gómez' });
    const theCase = await Case.create({
      number: 'CS-000321',
      conversationId: first._id,
      contactId: first.contactId,
      channel: 'webchat',
      description: 'El pedido llegó roto',
    });

    // ── María goes available: it is hers at once (the admin's page follows, live).
    await presence(maria, 'Disponible', 'available');
    const taken = await eventually(async () => {
      const c = await conversation(id);
      return c?.status === 'assigned' ? c : undefined;
    }, 30_000);
    expect(taken.assignee?.id).toBe(`user:${ids.agent}`);
    await maria.getByTestId('view-mine').filter({ hasText: '· 1' }).waitFor(WAIT);
    await agentRow(ids.agent!).and(admin.locator('[data-presence="available"]')).waitFor(WAIT);
    await agentRow(ids.agent!).filter({ hasText: '1 open' }).waitFor(WAIT);

    // Beatriz goes available; the next customer is hers (round-robin: María had the last one).
    await presence(beatriz, 'Available', 'available');
    await agentRow(ids.beatriz!).and(admin.locator('[data-presence="available"]')).waitFor(WAIT);
    const other = await chatAsVisitor(app.url, 'en', ['I want to talk to a person']);
    const otherId = String(other.conversationId);
    const second = await eventually(async () => {
      const c = await conversation(otherId);
      return c?.status === 'assigned' ? c : undefined;
    }, 30_000);
    expect(second.assignee?.id).toBe(`user:${ids.beatriz}`);
    await beatriz.getByTestId('view-mine').filter({ hasText: '· 1' }).waitFor(WAIT);

    // ── María answers with a canned reply: `/` in the composer, variables filled.
    const row = maria.locator(`[data-testid="conversation-row"][data-conversation-id="${id}"]`);
    await row.getByRole('link').first().click();
    await maria.waitForURL(`${app.url}/console/conversations/${id}`);
    const box = maria.getByTestId('reply-text');
    await box.click();
    await box.pressSequentially('/salu');
    await maria.getByTestId('canned-picker').waitFor(WAIT);
    // The picker opens before its list has loaded: Enter picks only once the match is listed
    // (pressed earlier, it is a plain newline — the run that failed at load).
    await maria
      .locator('[data-testid="canned-option"][data-active]', { hasText: /salu/i })
      .waitFor(WAIT);
    await box.press('Enter');
    const greeting = `Hola Lucía Gómez, soy ${SEED_USERS.agent.name}. Miro tu caso CS-000321 ahora mismo.`;
    await eventually(async () => (await box.inputValue()) === greeting, 30_000);
    await maria.getByTestId('reply-send').click();
    await v
      .locator('[data-testid="charla-message"][data-author="staff"]', { hasText: greeting })
      .waitFor(WAIT);

    // ── She hands it to Beatriz; Beatriz's inbox follows live, the visitor is told.
    await maria.getByTestId('assign').click();
    await maria.getByRole('option', { name: new RegExp(`^${BEATRIZ.name}`) }).click();
    await eventually(
      async () => (await conversation(id))?.assignee?.id === `user:${ids.beatriz}`,
      30_000,
    );
    await beatriz.getByTestId('view-mine').filter({ hasText: '· 2' }).waitFor(WAIT);
    await agentRow(ids.beatriz!).filter({ hasText: '2 open' }).waitFor(WAIT);
    await v
      .getByTestId('charla-messages')
      .getByText(BEATRIZ.name, { exact: false })
      .first()
      .waitFor(WAIT);

    // Beatriz closes it: the bot answers the visitor again.
    const mine = beatriz.locator(`[data-testid="conversation-row"][data-conversation-id="${id}"]`);
    await mine.getByRole('link').first().click();
    await beatriz.waitForURL(`${app.url}/console/conversations/${id}`);
    await beatriz.getByTestId('close').click();
    await beatriz.getByTestId('close-confirm').click();
    await beatriz.locator('[data-testid="conversation-status"][data-status="bot"]').waitFor(WAIT);
    const before = await botAnswers(id);
    await v.getByTestId('charla-input').fill('¿Cuál es vuestro horario de apertura?');
    await v.getByTestId('charla-input').press('Enter');
    await eventually(async () => (await botAnswers(id)) > before, 30_000);
    expect((await conversation(id))?.status).toBe('bot');

    // ── María replies from the case page while the bot holds the conversation: a take-over.
    await openConsole(maria, app.url, `/cases/${theCase._id.toHexString()}`);
    const caseBox = maria.getByTestId('case-reply-text');
    const followUp = 'Lucía, ya tenemos tu pedido de sustitución preparado.';
    await caseBox.fill(followUp);
    await caseBox.press('Control+Enter');
    await v
      .locator('[data-testid="charla-message"][data-author="staff"]', { hasText: followUp })
      .waitFor(WAIT);
    const again = await eventually(async () => {
      const c = await conversation(id);
      return c?.status === 'assigned' ? c : undefined;
    }, 30_000);
    expect(again.assignee?.id).toBe(`user:${ids.agent}`);

    // She closes it; the bot resumes.
    await openConsole(maria, app.url, `/conversations/${id}`);
    await maria.getByTestId('close').click();
    await maria.getByTestId('close-confirm').click();
    await maria.locator('[data-testid="conversation-status"][data-status="bot"]').waitFor(WAIT);
    const then = await botAnswers(id);
    await v.getByTestId('charla-input').fill('¿Dónde está vuestra tienda?');
    await v.getByTestId('charla-input').press('Enter');
    await eventually(async () => (await botAnswers(id)) > then, 30_000);
    expect((await conversation(id))?.status).toBe('bot');

    // Every staff change on the way is audited.
    const audit = await fetch(`${app.url}/api/audit?target=${id}&limit=100`, {
      headers: app.admin,
    });
    const actions = ((await audit.json()) as Json).items.map((e: Json) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining(['conversation.reply', 'conversation.assign', 'conversation.close']),
    );
    expect(pageErrors).toEqual([]);
  }, 600_000);
});
