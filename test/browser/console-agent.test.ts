/**
 * Staff at work in the console, in a real Chromium against a real Charla: an agent claims a web
 * chat visitor's queued conversation, replies, and the visitor's widget shows the reply; the
 * conversation list follows new messages live; a staff note stays on the transcript; an admin manages accounts from /console/users.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSeedUsers, SEED_USERS } from '../../scripts/console-seed.js';
import { Conversation } from '../../src/kernel/db/models/conversation.js';
import { eventually, startTestApp, type TestApp } from '../support/app.js';
import { settledSession } from '../channels/webchat/client.js';
import {
  ensureConsoleBuilt,
  launchChromium,
  newConsoleContext,
  openConsole,
  signInAs,
} from './console-support.js';

describe('console: agents and admins at work', () => {
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

  /** A visitor on the demo page who wrote `text` and got the bot's answer. */
  async function visitorSays(page: Page, text: string, inboundSoFar = 0) {
    await page.getByTestId('charla-input').fill(text);
    await page.getByTestId('charla-input').press('Enter');
    const handle = await page.waitForFunction(() => {
      const key = Object.keys(localStorage).find((k) => k.startsWith('charla-webchat:'));
      return key ? localStorage.getItem(key) : null;
    });
    const { sessionId } = JSON.parse((await handle.jsonValue()) as string) as { sessionId: string };
    const settled = await settledSession(sessionId, inboundSoFar + 1);
    return settled.conversations[0]!._id.toHexString();
  }

  it('an agent claims a queued web chat and answers; the visitor sees the reply', async () => {
    const { page: visitor } = await newPage({ locale: 'es-ES' });
    await visitor.goto(`${app.url}/`);
    await visitor.getByTestId('charla-launcher').click();
    const conversationId = await visitorSays(visitor, 'hola');
    const escalate = await fetch(`${app.url}/api/conversations/${conversationId}/escalate`, {
      method: 'POST',
      headers: app.admin,
    });
    expect(escalate.status).toBe(202);

    const { context, page } = await newPage({ locale: 'en-GB' });
    await signInAs(context, app.url, 'agent');
    await openConsole(page, app.url, '/conversations?status=queued');
    const row = page.locator(
      `[data-testid="conversation-row"][data-conversation-id="${conversationId}"]`,
    );
    await row.waitFor();
    await row.getByRole('link').click();
    await page.waitForURL(`${app.url}/console/conversations/${conversationId}`);
    await page.getByTestId('claim').click();
    await page.locator('[data-testid="conversation-status"][data-status="assigned"]').waitFor();

    const answer = 'Hola, soy María Fernanda. ¿En qué te ayudo? <b>sin HTML</b>';
    await page.getByTestId('reply-text').fill(answer);
    await page.getByTestId('reply-send').click();
    await page.locator('[data-testid="transcript-message"][data-author="staff"]').waitFor();

    // The visitor's widget shows it, as a staff message, with the text exactly as typed.
    const bubble = visitor.locator('[data-testid="charla-message"][data-author="staff"]');
    await bubble.waitFor({ timeout: 15_000 });
    expect(await bubble.textContent()).toContain(answer);

    // A staff note lands on the transcript, marked, and never reaches the visitor.
    const note = 'Cliente VIP: ofrecer envío gratis';
    await page.getByTestId('composer-tab-note').click();
    await page.getByTestId('note-text').fill(note);
    await page.getByTestId('note-send').click();
    const noted = page.locator('[data-testid="transcript-message"][data-internal="true"]');
    await noted.waitFor();
    expect(await noted.getByTestId('message-text').textContent()).toBe(note);
    expect(await page.getByTestId('note-text').inputValue()).toBe('');

    const stored = (await Conversation.findById(conversationId).lean())!;
    expect(stored.status).toBe('assigned');
    expect(stored.assignee?.name).toBe(SEED_USERS.agent.name);

    await page.getByTestId('close').click();
    await page.getByTestId('close-confirm').click();
    await page.locator('[data-testid="conversation-status"][data-status="bot"]').waitFor();
    expect((await Conversation.findById(conversationId).lean())!.status).toBe('bot');

    const audit = await fetch(`${app.url}/api/audit?target=${conversationId}`, {
      headers: app.admin,
    });
    const actions = ((await audit.json()) as { items: Array<{ action: string }> }).items.map(
      (e) => e.action,
    );
    expect(actions).toEqual(
      expect.arrayContaining([
        'conversation.claim',
        'conversation.reply',
        'conversation.note',
        'conversation.close',
      ]),
    );
    // Only the reply reached the visitor: the note stayed inside.
    expect(
      await visitor.locator('[data-testid="charla-message"][data-author="staff"]').count(),
    ).toBe(1);
    expect(await visitor.getByText(note).count()).toBe(0);
  });

  it('updates the conversation list live when a customer writes', async () => {
    const { context, page } = await newPage();
    await signInAs(context, app.url, 'viewer');
    await openConsole(page, app.url, '/conversations');
    await page.locator('[data-testid="live-indicator"][data-live="true"]').waitFor();
    const before = await page.getByTestId('conversation-row').count();

    const { page: visitor } = await newPage({ locale: 'en-US' });
    await visitor.goto(`${app.url}/`);
    await visitor.getByTestId('charla-launcher').click();
    const conversationId = await visitorSays(visitor, 'hello there');
    const row = page.locator(
      `[data-testid="conversation-row"][data-conversation-id="${conversationId}"]`,
    );
    // No reload: the stream's event made the list refetch.
    await row.waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('conversation-row').count()).toBe(before + 1);
    await visitorSays(visitor, 'what are your opening hours?', 1);
    await eventually(async () =>
      ((await row.textContent()) ?? '').includes('what are your opening hours?'),
    );
  });

  it('an admin creates a user, changes the role, disables and deletes it', async () => {
    const { context, page } = await newPage();
    await signInAs(context, app.url, 'admin');
    await openConsole(page, app.url, '/users');
    await page.getByTestId('new-user').click();
    await page.getByTestId('new-user-name').fill('Nora Nueva');
    await page.getByTestId('new-user-email').fill('nora@example.com');
    // No mail on this Charla: the other way in is a generated temporary password.
    await page.getByTestId('new-user-no-mail').waitFor();
    await page.getByTestId('new-user-access').getByText('Type a password').click();
    await page.getByTestId('new-user-password').fill('short');
    await page.getByTestId('new-user-submit').click();
    await page.getByText('Use at least 12 characters').waitFor();
    await page.getByTestId('new-user-password').fill('a-long-enough-password');
    await page.getByTestId('new-user-submit').click();
    expect(await page.getByTestId('new-user-outcome').textContent()).toContain(
      'User created with the password you typed.',
    );
    await page.getByTestId('new-user-close').click();
    const row = page.locator('[data-testid="user-row"][data-user-email="nora@example.com"]');
    await row.waitFor();

    const userOf = async () => {
      const res = await fetch(`${app.url}/api/users?limit=200`, { headers: app.admin });
      const body = (await res.json()) as {
        items: Array<{ email: string; role: string; disabled: boolean }>;
      };
      return body.items.find((u) => u.email === 'nora@example.com');
    };
    expect(await userOf()).toMatchObject({ role: 'agent', disabled: false });

    await row.getByTestId('user-role-select').click();
    await page.getByRole('option', { name: 'Marketer' }).click();
    await eventually(async () => (await userOf())?.role === 'marketer');

    await row.getByTestId('user-toggle').click();
    await eventually(async () => (await userOf())?.disabled === true);
    // The list shows it once refetched.
    await row
      .getByTestId('user-status')
      .filter({ hasText: /^Disabled$/ })
      .waitFor();
    expect(await row.getByTestId('user-toggle').textContent()).toBe('Enable');

    // A duplicate email is refused with a clear message.
    await page.getByTestId('new-user').click();
    await page.getByTestId('new-user-name').fill('Otra Nora');
    await page.getByTestId('new-user-email').fill('nora@example.com');
    await page.getByTestId('new-user-access').getByText('Type a password').click();
    await page.getByTestId('new-user-password').fill('a-long-enough-password');
    await page.getByTestId('new-user-submit').click();
    expect(await page.getByTestId('new-user-error').textContent()).toBe(
      'A user with this email already exists.',
    );
    await page.keyboard.press('Escape');

    await row.getByTestId('user-delete').click();
    await page.getByTestId('user-delete-confirm').click();
    await row.waitFor({ state: 'detached' });
    expect(await userOf()).toBeUndefined();
  }, 90_000);

  it('an agent sets their presence and hands a queued conversation to a team, then a colleague', async () => {
    type Agents = { items: Array<{ id: string; name: string; presence: string }> };
    const agentsNow = async () => {
      const res = await fetch(`${app.url}/api/assignment/agents`, { headers: app.admin });
      return ((await res.json()) as Agents).items;
    };
    const presenceOf = async (name: string) =>
      (await agentsNow()).find((a) => a.name === name)?.presence;

    const { context, page } = await newPage({ locale: 'en-GB' });
    await signInAs(context, app.url, 'agent');
    await openConsole(page, app.url, '/conversations');
    const presence = page.getByTestId('presence');
    await presence.waitFor();
    expect(await page.getByRole('radiogroup', { name: 'Your presence' }).count()).toBe(1);
    await presence.getByText('Available', { exact: true }).click();
    await eventually(async () => (await presenceOf(SEED_USERS.agent.name)) === 'available');
    await presence.getByText('Away', { exact: true }).click();
    await eventually(async () => (await presenceOf(SEED_USERS.agent.name)) === 'away');
    await page.locator('[data-testid="presence"][data-presence="away"]').waitFor();

    // A queued conversation and a team to hand it to.
    const { page: visitor } = await newPage({ locale: 'es-ES' });
    await visitor.goto(`${app.url}/`);
    await visitor.getByTestId('charla-launcher').click();
    const conversationId = await visitorSays(visitor, 'hola');
    const escalate = await fetch(`${app.url}/api/conversations/${conversationId}/escalate`, {
      method: 'POST',
      headers: app.admin,
    });
    expect(escalate.status).toBe(202);
    const teamRes = await fetch(`${app.url}/api/teams`, {
      method: 'POST',
      headers: { ...app.admin, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Soporte' }),
    });
    expect(teamRes.status).toBe(201);
    const team = (await teamRes.json()) as { id: string };
    const admin = (await agentsNow()).find((a) => a.name === SEED_USERS.admin.name)!;

    await openConsole(page, app.url, `/conversations/${conversationId}`);
    const assign = page.getByTestId('assign');
    await assign.click();
    await page.getByRole('option', { name: 'Team Soporte' }).click();
    await eventually(async () => {
      const c = await Conversation.findById(conversationId).lean();
      return c?.status === 'queued' && c.team?.id === team.id;
    });
    await page.locator(`[data-testid="assign"][data-team="${team.id}"]`).waitFor();

    await assign.click();
    await page.getByRole('option', { name: new RegExp(`^${SEED_USERS.admin.name}`) }).click();
    await eventually(async () => {
      const c = await Conversation.findById(conversationId).lean();
      return c?.status === 'assigned' && c.assignee?.id === admin.id;
    });
    await page.locator(`[data-testid="assign"][data-assignee="${admin.id}"]`).waitFor();
    expect(await assign.inputValue()).toMatch(new RegExp(`^${SEED_USERS.admin.name}`));

    // Now the admin's: the agent may not pass it on; the server's refusal is shown.
    await assign.click();
    await page.getByRole('option', { name: 'Team Soporte' }).click();
    await page.getByText(/^Could not assign: Assigned to Alba Administradora/).waitFor();
    const after = await Conversation.findById(conversationId).lean();
    expect(after?.assignee?.id).toBe(admin.id);
  }, 90_000);
});
