/**
 * The teams and routing page, and presence and assignment pushed live, in a real Chromium
 * against a real Charla: an admin sets the per-agent capacity and one agent's own (then clears
 * it), and creates, edits and deletes a
 * team (members, languages, intents, flows) — server state and audit checked; then, with the
 * admin's and two agents' consoles open in separate browser contexts, an agent going available
 * shows on the admin's page, and a Slack claim and a reassignment show on a colleague's open
 * conversation, all without a reload.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  chatAsVisitor,
  createSeedUsers,
  SEED_PASSWORD,
  SEED_USERS,
} from '../../scripts/console-seed.js';
import { Conversation } from '../../src/kernel/db/models/conversation.js';
import { eventually, startTestApp, type TestApp } from '../support/app.js';
import {
  ensureConsoleBuilt,
  launchChromium,
  newConsoleContext,
  openConsole,
  signInAs,
} from './console-support.js';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const WAIT = { timeout: 30_000 };
const SECOND_AGENT = { name: 'Beatriz Segunda', email: 'beatriz@example.com', role: 'agent' };

describe('console: teams and routing, presence live', () => {
  let app: TestApp;
  let browser: Browser;
  let ids: Record<string, string>;
  const contexts: BrowserContext[] = [];

  const api = async (method: string, path: string, body?: unknown): Promise<Json> => {
    const res = await fetch(`${app.url}${path}`, {
      method,
      headers: { ...app.admin, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return res.status === 204 ? null : res.json();
  };

  beforeAll(async () => {
    ensureConsoleBuilt();
    app = await startTestApp({}, { assignmentIntervalMs: 3_600_000 });
    ids = await createSeedUsers(app.url, app.admin);
    const second = await api('POST', '/api/users', { ...SECOND_AGENT, password: SEED_PASSWORD });
    ids.second = second.id;
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await app?.stop();
  });

  async function signedIn(who: 'admin' | 'agent' | 'second', locale = 'en-GB'): Promise<Page> {
    const context = await newConsoleContext(browser, { locale });
    contexts.push(context);
    if (who === 'second') {
      const res = await context.request.post(`${app.url}/api/auth/login`, {
        data: { email: SECOND_AGENT.email, password: SEED_PASSWORD },
      });
      expect(res.status()).toBe(200);
    } else {
      await signInAs(context, app.url, who);
    }
    return context.newPage();
  }

  /** Opens the inbox and waits for the live socket; then `into` moves inside the app (same socket). */
  async function openLive(page: Page, into: (page: Page) => Promise<void>) {
    await openConsole(page, app.url, '/conversations');
    await page.locator('[data-testid="live-indicator"][data-live="true"]').waitFor(WAIT);
    await into(page);
  }

  it('an admin sets the capacity and creates, edits and deletes a team; audited', async () => {
    const page = await signedIn('admin');
    await openConsole(page, app.url, '/teams');
    await page.getByTestId('empty-state').waitFor(WAIT);

    await page.getByTestId('capacity').fill('3');
    await page.getByTestId('capacity-save').click();
    await eventually(async () => (await api('GET', '/api/assignment/settings')).capacity === 3);

    // One agent's own capacity, then back to the install's (the box emptied).
    const agentRow = page.locator(`[data-testid="team-agent"][data-agent-id="${ids.agent}"]`);
    const ownCapacity = async () =>
      ((await api('GET', '/api/assignment/agents')).items as Json[]).find(
        (a) => a.userId === ids.agent,
      )?.capacity;
    await expect
      .poll(() => agentRow.getByTestId('agent-capacity').getAttribute('placeholder'), {
        timeout: 30_000,
      })
      .toBe('Default (3)');
    await agentRow.getByTestId('agent-capacity').fill('1');
    await agentRow.getByTestId('agent-capacity-save').click();
    await eventually(async () => (await ownCapacity()) === 1);
    await agentRow.and(page.locator('[data-capacity="1"]')).waitFor(WAIT);
    await expect
      .poll(() => agentRow.textContent(), { timeout: 30_000 })
      .toContain('own capacity 1');
    await agentRow.getByTestId('agent-capacity').fill('');
    await agentRow.getByTestId('agent-capacity-save').click();
    await eventually(async () => (await ownCapacity()) === null);
    await agentRow.and(page.locator('[data-capacity=""]')).waitFor(WAIT);

    await page.getByTestId('team-add').click();
    const form = page.getByTestId('team-form');
    await form.getByLabel('Name').fill('Ventas');
    await form.getByLabel('Members', { exact: true }).click();
    await page.getByRole('option', { name: SEED_USERS.agent.name }).click();
    await form.getByLabel('Name').click(); // closes the list (it stays open for more picks)
    await form.getByLabel('Spanish').check();
    await form.getByLabel('Intents', { exact: true }).fill('pricing');
    await form.getByLabel('Intents', { exact: true }).press('Enter');
    await form.getByLabel('Name').click();
    await form.getByTestId('team-save').click();
    await form.waitFor({ state: 'detached', ...WAIT });
    const card = page.getByTestId('team-card').filter({ hasText: 'Ventas' });
    await card.waitFor(WAIT);
    // The card's lines follow the teams query's refetch: read them until they show the change.
    await expect
      .poll(() => card.getByTestId('team-rules').textContent(), { timeout: 30_000 })
      .toContain('intent pricing');
    const [created] = (await api('GET', '/api/teams')).items as Json[];
    expect(created).toMatchObject({
      name: 'Ventas',
      members: [{ id: ids.agent, name: SEED_USERS.agent.name }],
      languages: ['es'],
      intents: ['pricing'],
      flows: [],
    });

    // A second team with the same name (case aside) is refused, shown in the dialog.
    await page.getByTestId('team-add').click();
    await form.getByLabel('Name').fill('ventas');
    await form.getByTestId('team-save').click();
    await form.getByTestId('team-error').filter({ hasText: 'already exists' }).waitFor(WAIT);
    await page.keyboard.press('Escape');
    await form.waitFor({ state: 'detached', ...WAIT });
    expect((await api('GET', '/api/teams')).items).toHaveLength(1);

    // Edit: another member, a flow, and the language rule removed.
    await card.getByTestId('team-edit').click();
    await form.getByLabel('Members', { exact: true }).click();
    await page.getByRole('option', { name: SECOND_AGENT.name }).click();
    await form.getByLabel('Name').click();
    await form.getByLabel('Flows', { exact: true }).fill('lead_capture');
    await form.getByLabel('Flows', { exact: true }).press('Enter');
    await form.getByLabel('Name').click();
    await form.getByLabel('Spanish').uncheck();
    await form.getByTestId('team-save').click();
    await form.waitFor({ state: 'detached', ...WAIT });
    await eventually(async () => {
      const [team] = (await api('GET', '/api/teams')).items as Json[];
      return team.flows.includes('lead_capture');
    });
    const [edited] = (await api('GET', '/api/teams')).items as Json[];
    expect(edited.members.map((m: Json) => m.id).sort()).toEqual([ids.agent, ids.second].sort());
    expect(edited.languages).toEqual([]);
    expect(edited.intents).toEqual(['pricing']);
    await expect
      .poll(() => card.getByTestId('team-members-line').textContent(), { timeout: 30_000 })
      .toContain(SECOND_AGENT.name);

    await card.getByTestId('team-delete').click();
    await card.getByTestId('team-delete-confirm').click();
    await page.getByTestId('empty-state').waitFor(WAIT);
    expect((await api('GET', '/api/teams')).items).toEqual([]);

    const audit = (await api('GET', '/api/audit?limit=50')).items as Json[];
    const actions = audit.map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'assignment.settings',
        'assignment.agent_capacity',
        'team.create',
        'team.update',
        'team.delete',
      ]),
    );
    expect(actions.filter((a) => a === 'team.create')).toHaveLength(1);
  }, 240_000);

  it('is the admin’s only: an agent gets no teams page, and no link to it', async () => {
    const page = await signedIn('agent');
    await openConsole(page, app.url, '/conversations');
    expect(await page.getByTestId('nav-teams').count()).toBe(0);
    const res = await page.request.post(`${app.url}/api/teams`, { data: { name: 'Mía' } });
    expect(res.status()).toBe(403);
  }, 240_000);

  it('presence, a Slack claim and a reassignment reach colleagues’ open consoles live', async () => {
    const admin = await signedIn('admin', 'es-ES');
    await openLive(admin, (p) => p.getByTestId('nav-teams').click());
    await admin.locator('h1', { hasText: 'Equipos y reparto' }).waitFor(WAIT);
    const second = admin.locator(`[data-testid="team-agent"][data-agent-id="${ids.second}"]`);
    await second.and(admin.locator('[data-presence="away"]')).waitFor(WAIT);

    const beatriz = await signedIn('second');
    await openConsole(beatriz, app.url, '/conversations');
    await beatriz.getByTestId('presence').getByText('Available', { exact: true }).click();
    // No reload on the admin's side: the stream's staff.presence event.
    await second.and(admin.locator('[data-presence="available"]')).waitFor(WAIT);
    await beatriz.getByTestId('presence').getByText('Away', { exact: true }).click();
    await second.and(admin.locator('[data-presence="away"]')).waitFor(WAIT);

    // Nobody available: a waiting conversation stays unassigned; María watches it.
    const visitor = await chatAsVisitor(app.url, 'en', ['hello']);
    const id = String(visitor.conversationId);
    expect(
      (
        await fetch(`${app.url}/api/conversations/${id}/escalate`, {
          method: 'POST',
          headers: app.admin,
        })
      ).status,
    ).toBe(202);
    await eventually(async () => (await Conversation.findById(id).lean())?.status === 'queued');
    const maria = await signedIn('agent');
    await openLive(maria, async (p) => {
      const row = p.locator(`[data-testid="conversation-row"][data-conversation-id="${id}"]`);
      await row.getByRole('link').first().click();
      await p.waitForURL(`${app.url}/console/conversations/${id}`);
    });
    const assign = maria.getByTestId('assign');
    await assign.waitFor(WAIT);
    expect(await assign.getAttribute('data-assignee')).toBe('');

    // Claimed from Slack: María's page shows the Slack member without a reload.
    const claim = await app.charla.services.escalator.claim(id, {
      id: 'slack:U0SAMSLACK',
      name: 'Sam Slack',
    });
    expect(claim.outcome).toBe('claimed');
    await maria.locator('[data-testid="assign"][data-assignee="slack:U0SAMSLACK"]').waitFor(WAIT);
    expect(await assign.inputValue()).toBe('Sam Slack');

    // The admin hands it to Beatriz: María's page follows.
    expect(
      (
        await api('POST', `/api/conversations/${id}/assign`, {
          to: { kind: 'user', id: ids.second },
        })
      ).status,
    ).toBe('assigned');
    await maria.locator(`[data-testid="assign"][data-assignee="user:${ids.second}"]`).waitFor(WAIT);
    // And the admin's page counts Beatriz's open conversation.
    await second.filter({ hasText: '1 abiertas' }).waitFor(WAIT);
  }, 240_000);
});
