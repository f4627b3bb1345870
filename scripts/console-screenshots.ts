/**
 * Screenshots of every console page, Spanish and English, desktop (1280×800) and phone
 * (360×740), with seeded data and in their empty states: `npx tsx scripts/console-screenshots.ts`
 * (OUT=/tmp/console-shots by default; ONLY=users,audit for some). Starts its own Charla against MONGODB_URI (or an embedded
 * FerretDB) and REDIS_URL, in its own database and queue prefix, and removes both at the end.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { createCharla } from '../src/app/charla.js';
import { loadConfig } from '../src/kernel/config/config.js';
import { startEmbeddedMongo } from '../src/app/infra/embedded-mongo.js';
import { createLogger } from '../src/kernel/logger.js';
import { refreshLead } from '../src/features/leads/scoring/refresh.js';
import { Lead } from '../src/kernel/db/models/lead.js';
import {
  createSeedUsers,
  SEED_PASSWORD,
  SEED_USERS,
  seedConsoleData,
  seedInsightData,
  type SeedRole,
} from './console-seed.js';
import { seedWebhooks } from './console-seed-webhooks.js';
import { seedCases } from './console-seed-cases.js';
// @ts-expect-error a plain .mjs script without type declarations
import { ensureConsole } from './ensure-console.mjs';
import { shootOrdersImport } from './console-shots-orders.js';
import { seedValueData } from './console-shots-value.js';
import { shootTwoFactorScreens } from './console-shots-two-factor.js';
import { shootContactImport } from './console-shots-import.js';
import { shootTemporaryPassword } from './console-shots-password.js';
import { shootNewUser } from './console-shots-new-user.js';
import { shootSequences } from './console-shots-sequences.js';
import { shootWriteToContact } from './console-shots-outreach.js';
import { shootCampaigns } from './console-shots-campaigns.js';
import { SEARCH_SHOTS, shootSearch } from './console-shots-search.js';

const OUT = process.env.OUT ?? '/tmp/console-shots';
const ADMIN_TOKEN = 'console-screenshots-admin-token';
const VIEWPORTS = { desktop: { width: 1280, height: 800 }, phone: { width: 360, height: 740 } };
const LANGUAGES = { es: 'es-ES', en: 'en-GB' } as const;
/** ONLY=users,audit shoots just those (the data is seeded all the same). */
const ONLY = process.env.ONLY?.split(',').filter(Boolean);

async function main() {
  (ensureConsole as () => boolean)();
  mkdirSync(OUT, { recursive: true });
  const id = randomUUID().slice(0, 8);
  let stopMongo = async () => undefined as unknown;
  let mongoUri = process.env.MONGODB_URI;
  if (!mongoUri) {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'charla-shots-db-'));
    const mongo = await startEmbeddedMongo({ dataDir, ferretdbBin: process.env.FERRETDB_BIN });
    mongoUri = mongo.uri;
    stopMongo = async () => {
      await mongo.stop();
      rmSync(dataDir, { recursive: true, force: true });
    };
  }
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    MONGODB_URI: mongoUri,
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    QUEUE_PREFIX: `charla-shots-${id}`,
    ADMIN_TOKEN,
    LOG_LEVEL: 'silent',
    // The seeded webhooks deliver to a receiver on this machine.
    WEBHOOK_ALLOW_HOSTS: '127.0.0.1',
  });
  const charla = await createCharla(config, {
    logger: createLogger('silent'),
    dbName: `charla_shots_${id}`,
    outboundBackoffMs: 50,
  });
  const url = await charla.listen();
  const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const shots: string[] = [];
  try {
    const shoot = async (name: string, paths: string[], role?: SeedRole, ready?: string) => {
      if (!ONLY || ONLY.includes(name)) {
        await shootAll(browser, url, name, paths, role, shots, ready);
      }
    };

    // Before anyone has an account: the first-run state of sign-in and setup.
    await shoot('login-first-run', ['/login']);
    await shoot('setup', ['/setup?token=from-the-server-log']);
    const users = await createSeedUsers(url, admin);
    await shoot('login', ['/login']);
    // Self-service reset: this script's Charla has no SMTP_URL, so the pages say mail is needed.
    await shoot('forgot-password', ['/forgot-password']);
    await shoot('reset-password', ['/reset-password?token=from-the-email']);
    await shoot('reset-password-invitation', ['/reset-password?token=from-the-email&invitation=1']);
    await shoot('conversations-empty', ['/conversations'], 'agent');
    await shoot('contacts-empty', ['/contacts'], 'marketer');
    await shoot('leads-empty', ['/leads'], 'marketer');
    await shoot('cases-empty', ['/cases'], 'agent');
    await shoot('audit-empty-filtered', ['/audit?action=nothing.like.this'], 'admin');
    await shoot('webhooks-empty', ['/webhooks'], 'admin');
    await shoot('segments-empty', ['/segments'], 'marketer');
    await shoot('analytics-empty', ['/analytics'], 'marketer');

    const seeded = await seedConsoleData(url, admin, users);
    await shoot('conversations', ['/conversations'], 'agent');
    await shoot('conversations-filtered', ['/conversations?status=queued&language=es'], 'agent');
    await shoot('conversation-queued', [`/conversations/${seeded.queued.conversationId}`], 'agent');
    await shoot(
      'conversation-viewer',
      [`/conversations/${seeded.english.conversationId}`],
      'viewer',
    );
    await shoot('contacts', ['/contacts'], 'marketer');
    if (!ONLY || ONLY.some((n) => n.startsWith('contacts-import'))) {
      await shootContactImport({ browser, url, out: OUT, shots, only: ONLY });
    }
    await charla.services.analytics?.runOnce({ settleMs: 0 });
    if (!ONLY || ONLY.some((n) => n === 'analytics' || n === 'value')) {
      await seedValueData(url, admin);
    }
    await shoot('analytics', ['/analytics'], 'marketer');
    // The backtest loads after the page: wait for its figures and its chart's lines.
    await shoot(
      'value',
      ['/value'],
      'marketer',
      '[data-testid="value-backtest"] .recharts-line-curve',
    );
    await shoot('analytics-empty-range', ['/analytics?from=2020-01-01&to=2020-01-31'], 'viewer');
    await shoot('contact', [`/contacts/${seeded.queued.contactId}`], 'marketer');
    const insight = await seedInsightData(url, admin);
    await shoot('contact-insight', [`/contacts/${insight.frustrated.contactId}`], 'admin');
    await shoot('contact-erased', [`/contacts/${insight.erased.contactId}`], 'admin');
    await shoot('conversations-frustrated', ['/conversations'], 'agent');
    await shoot(
      'conversation-sentiment',
      [`/conversations/${insight.frustrated.conversationId}`],
      'agent',
    );
    if (!ONLY || ONLY.includes('contact-edit-modal')) {
      await shootContactEditModal(browser, url, seeded.queued.contactId, shots);
    }
    if (!ONLY || ONLY.includes('merge-modal')) {
      await shootMergeModal(browser, url, seeded.queued.contactId, shots);
    }
    if (!ONLY || ONLY.includes('erase-modal')) {
      await shootEraseModal(browser, url, insight.frustrated.contactId, shots);
    }
    await shootWriteToContact({
      browser,
      url,
      contactId: seeded.queued.contactId,
      out: OUT,
      shots,
      only: ONLY,
    });
    await seedSegments(url, admin);
    await shoot('segments', ['/segments'], 'marketer');
    await shoot('segments-viewer', ['/segments'], 'viewer');
    await shoot('scoring', ['/scoring'], 'admin');
    if (!ONLY || ONLY.includes('scoring-problems')) await shootScoringProblems(browser, url, shots);
    if (!ONLY || ONLY.includes('segment-form')) await shootSegmentForm(browser, url, shots);
    await shootOrdersImport({
      browser,
      url,
      login: { email: SEED_USERS.marketer.email, password: SEED_PASSWORD },
      out: OUT,
      shots,
      only: ONLY,
    });
    await shoot('leads-board', ['/leads'], 'marketer');
    await shoot('leads-board-viewer', ['/leads'], 'viewer');
    await shoot('leads-table', ['/leads?view=table&sort=score&order=desc'], 'marketer');
    await shoot('leads-table-filtered', ['/leads?view=table&q=nothing-like-this'], 'marketer');
    await shoot('lead', [`/leads/${seeded.leads.main}`], 'marketer');
    await shoot('lead-viewer', [`/leads/${seeded.leads.main}`], 'viewer');
    const cases = await seedCases(url, admin, seeded);
    await shoot('cases', ['/cases'], 'agent');
    await shoot('cases-board', ['/cases?view=board'], 'agent');
    await shoot('cases-breached', ['/cases?sla=breached'], 'agent');
    await shoot('case', [`/cases/${cases.main}`], 'agent');
    await shoot('case-resolved-viewer', [`/cases/${cases.resolved}`], 'viewer');
    await seedCannedReplies(url, admin);
    await shoot('canned-replies', ['/canned-replies'], 'agent');
    await shoot('teams-empty', ['/teams'], 'admin');
    await seedTeams(url, admin, users);
    await shoot('teams', ['/teams'], 'admin');
    if (!ONLY || ONLY.includes('team-form')) await shootTeamForm(browser, url, shots);
    if (!ONLY || ONLY.some((n) => n.includes('sequence'))) {
      const contactId = seeded.queued.contactId;
      await shootSequences({ browser, url, admin, contactId, out: OUT, shots, only: ONLY });
    }
    if (!ONLY || ONLY.some((n) => n.startsWith('campaign'))) {
      await shootCampaigns({ browser, url, admin, out: OUT, shots, only: ONLY });
    }
    await shoot('users', ['/users'], 'admin');
    await shoot('audit', ['/audit'], 'admin');
    await shoot('studio', ['/studio'], 'admin');
    const hooks = await seedWebhooks(url, admin);
    await shoot('webhooks', ['/webhooks'], 'admin');
    await shoot('webhooks-log-failed', [`/webhooks?log=${hooks.refused}`], 'admin');
    await shoot('webhooks-log', [`/webhooks?log=${hooks.delivering}`], 'admin');
    if (!ONLY || ONLY.includes('webhooks-secret')) await shootWebhookSecret(browser, url, shots);
    await hooks.close();
    await shoot('forbidden', ['/users'], 'viewer');
    await shoot('not-found', ['/conversations/000000000000000000000000'], 'agent');
    if (!ONLY || ONLY.includes('menu')) await shootMenu(browser, url, shots);
    if (!ONLY || ONLY.includes('users-new')) {
      await shootNewUser({ browser, url, out: OUT, shots });
    }
    if (!ONLY || ONLY.includes('users-temporary-password') || ONLY.includes('change-password')) {
      await shootTemporaryPassword({ browser, url, admin, out: OUT, shots, only: ONLY });
    }
    if (!ONLY || ONLY.some((n) => SEARCH_SHOTS.includes(n))) {
      await shootSearch({ browser, url, out: OUT, shots, only: ONLY });
    }
    await shootTwoFactorScreens({
      browser,
      url,
      admin,
      adminLogin: { email: SEED_USERS.admin.email, password: SEED_PASSWORD },
      out: OUT,
      shots,
      only: ONLY,
    });
  } finally {
    await browser.close();
    const keys = await charla.services.redis.keys(`${config.queuePrefix}:*`);
    if (keys.length) await charla.services.redis.del(...keys);
    await mongoose.connection.db?.dropDatabase().catch(() => undefined);
    await charla.stop();
    await stopMongo();
  }
  console.log(`${shots.length} screenshots in ${OUT}`);
}

async function signedInContext(
  browser: Browser,
  url: string,
  locale: string,
  viewport: { width: number; height: number },
  role?: SeedRole,
): Promise<BrowserContext> {
  const context = await browser.newContext({ locale, viewport });
  if (role) {
    const res = await context.request.post(`${url}/api/auth/login`, {
      data: { email: SEED_USERS[role].email, password: SEED_PASSWORD },
    });
    if (res.status() !== 200) throw new Error(`sign-in ${role}: ${res.status()}`);
  }
  return context;
}

async function shootAll(
  browser: Browser,
  url: string,
  name: string,
  paths: string[],
  role: SeedRole | undefined,
  shots: string[],
  /** A selector that shows the page has finished what loads after it (e.g. a chart). */
  ready?: string,
) {
  for (const [lang, locale] of Object.entries(LANGUAGES)) {
    for (const [device, viewport] of Object.entries(VIEWPORTS)) {
      const context = await signedInContext(browser, url, locale, viewport, role);
      const page = await context.newPage();
      for (const p of paths) {
        await page.goto(`${url}/console${p}`);
        await page.locator('h1').first().waitFor();
        await page.locator('[data-testid="loading"]').first().waitFor({ state: 'detached' });
        if (ready) {
          await page.locator(ready).first().waitFor({ timeout: 120_000 });
          await page.waitForTimeout(1500); // the charts' drawing animation
        }
        await page.waitForTimeout(300);
        const file = path.join(OUT, `${name}-${lang}-${device}.png`);
        await page.screenshot({ path: file, fullPage: true });
        shots.push(file);
      }
      await context.close();
    }
  }
}

/** "Edit details" open on a customer, in both languages and widths (an agent). */
async function shootContactEditModal(
  browser: Browser,
  url: string,
  contactId: string,
  shots: string[],
) {
  for (const [lang, locale] of Object.entries(LANGUAGES)) {
    for (const [device, viewport] of Object.entries(VIEWPORTS)) {
      const context = await signedInContext(browser, url, locale, viewport, 'agent');
      const page = await context.newPage();
      await page.goto(`${url}/console/contacts/${contactId}`);
      await page.getByTestId('contact-edit').click();
      await page.getByTestId('contact-add-field').click();
      await page.waitForTimeout(300);
      const file = path.join(OUT, `contact-edit-modal-${lang}-${device}.png`);
      await page.screenshot({ path: file });
      shots.push(file);
      await context.close();
    }
  }
}

/** "Merge with…": a search typed, the first match chosen and its preview shown (an agent). */
async function shootMergeModal(browser: Browser, url: string, contactId: string, shots: string[]) {
  for (const [lang, locale] of Object.entries(LANGUAGES)) {
    for (const [device, viewport] of Object.entries(VIEWPORTS)) {
      const context = await signedInContext(browser, url, locale, viewport, 'agent');
      const page = await context.newPage();
      await page.goto(`${url}/console/contacts/${contactId}`);
      await page.getByTestId('merge-open').click();
      await page.getByTestId('merge-search').fill('example');
      await page.getByTestId('merge-candidate').first().click();
      await page.getByTestId('merge-preview').waitFor();
      await page.waitForTimeout(300);
      const file = path.join(OUT, `merge-modal-${lang}-${device}.png`);
      await page.screenshot({ path: file });
      shots.push(file);
      await context.close();
    }
  }
}

/** The erase modal with the confirmation typed, in both languages and widths. */
async function shootEraseModal(browser: Browser, url: string, contactId: string, shots: string[]) {
  for (const [lang, locale] of Object.entries(LANGUAGES)) {
    for (const [device, viewport] of Object.entries(VIEWPORTS)) {
      const context = await signedInContext(browser, url, locale, viewport, 'admin');
      const page = await context.newPage();
      await page.goto(`${url}/console/contacts/${contactId}`);
      await page.getByTestId('erase-open').click();
      await page.getByTestId('erase-confirm').fill(lang === 'es' ? 'BORRAR' : 'ERASE');
      await page.waitForTimeout(300);
      const file = path.join(OUT, `erase-modal-${lang}-${device}.png`);
      await page.screenshot({ path: file });
      shots.push(file);
      await context.close();
    }
  }
}

/** Every seeded lead scored (as the scoring job does), then three saved segments. */
async function seedSegments(url: string, admin: Record<string, string>) {
  for (const lead of await Lead.find({}, { _id: 1 }).lean()) await refreshLead(lead._id);
  const segments = [
    { name: 'Hot leads in Spanish', filter: { language: 'es', scoreMin: 30 } },
    {
      name: 'Clientes con consentimiento de marketing que preguntaron por precios y no tienen casos abiertos',
      description: 'Para la campaña de primavera: solo quienes aceptaron recibir comunicaciones.',
      filter: { consent: 'granted', intents: ['pricing'], hasOpenCase: false, tags: ['vip'] },
    },
    { name: 'Everyone', filter: {} },
  ];
  for (const body of segments) {
    const res = await fetch(`${url}/api/segments`, {
      method: 'POST',
      headers: { ...admin, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (res.status !== 201) throw new Error(`segment ${res.status} ${await res.text()}`);
  }
}

/** The scoring page after saving invalid rules: problems on their lines and listed. */
async function shootScoringProblems(browser: Browser, url: string, shots: string[]) {
  for (const [lang, locale] of Object.entries(LANGUAGES)) {
    for (const [device, viewport] of Object.entries(VIEWPORTS)) {
      const context = await signedInContext(browser, url, locale, viewport, 'admin');
      const page = await context.newPage();
      await page.goto(`${url}/console/scoring`);
      await page.locator('.cm-content').click();
      await page.keyboard.press('ControlOrMeta+End');
      await page.keyboard.insertText(
        '\n  - id: bad\n    points: 500\n    label: { en: x, es: y }\n    when: { field: age }\n',
      );
      await page.getByTestId('scoring-save').click();
      await page.getByRole('alert').first().waitFor();
      await page.waitForTimeout(300);
      const file = path.join(OUT, `scoring-problems-${lang}-${device}.png`);
      await page.screenshot({ path: file, fullPage: true });
      shots.push(file);
      await context.close();
    }
  }
}

/** The segment form, filled in, with its live count. */
async function shootSegmentForm(browser: Browser, url: string, shots: string[]) {
  for (const [lang, locale] of Object.entries(LANGUAGES)) {
    for (const [device, viewport] of Object.entries(VIEWPORTS)) {
      const context = await signedInContext(browser, url, locale, viewport, 'marketer');
      const page = await context.newPage();
      await page.goto(`${url}/console/segments`);
      await page
        .getByRole('button', {
          name: lang === 'es' ? 'Editar: Hot leads in Spanish' : 'Edit: Hot leads in Spanish',
        })
        .click();
      await page.getByTestId('segment-live-count').filter({ hasText: /\d/ }).waitFor();
      await page.waitForTimeout(300);
      const file = path.join(OUT, `segment-form-${lang}-${device}.png`);
      await page.screenshot({ path: file, fullPage: true });
      shots.push(file);
      await context.close();
    }
  }
}

/** The teams page's dialog, editing the team with the most rules (the catalogue suggests names). */
async function shootTeamForm(browser: Browser, url: string, shots: string[]) {
  for (const [lang, locale] of Object.entries(LANGUAGES)) {
    for (const [device, viewport] of Object.entries(VIEWPORTS)) {
      const context = await signedInContext(browser, url, locale, viewport, 'admin');
      const page = await context.newPage();
      await page.goto(`${url}/console/teams`);
      await page.getByTestId('team-edit').first().click();
      await page.getByTestId('team-form').waitFor();
      await page.waitForTimeout(300);
      const file = path.join(OUT, `team-form-${lang}-${device}.png`);
      await page.screenshot({ path: file, fullPage: true });
      shots.push(file);
      await context.close();
    }
  }
}

/** The phone navigation opened and the account menu, where the sign-out lives. */
async function shootMenu(browser: Browser, url: string, shots: string[]) {
  for (const [lang, locale] of Object.entries(LANGUAGES)) {
    const phone = await signedInContext(browser, url, locale, VIEWPORTS.phone, 'admin');
    const page = await phone.newPage();
    await page.goto(`${url}/console/conversations`);
    await page.locator('h1').first().waitFor();
    await page.locator('button.mantine-Burger-root').click();
    await page.waitForTimeout(400);
    let file = path.join(OUT, `nav-open-${lang}-phone.png`);
    await page.screenshot({ path: file });
    shots.push(file);
    await phone.close();
    const desktop = await signedInContext(browser, url, locale, VIEWPORTS.desktop, 'agent');
    const page2 = await desktop.newPage();
    await page2.goto(`${url}/console/conversations`);
    await page2.locator('h1').first().waitFor();
    await page2.getByTestId('user-menu').click();
    await page2.waitForTimeout(300);
    file = path.join(OUT, `user-menu-${lang}-desktop.png`);
    await page2.screenshot({ path: file });
    shots.push(file);
    await desktop.close();
  }
}

/** The new-webhook form, then its secret shown once (desktop and phone, es/en). */
async function shootWebhookSecret(browser: Browser, url: string, shots: string[]) {
  for (const [lang, locale] of Object.entries(LANGUAGES)) {
    for (const [device, viewport] of Object.entries(VIEWPORTS)) {
      const context = await signedInContext(browser, url, locale, viewport, 'admin');
      const page = await context.newPage();
      await page.goto(`${url}/console/webhooks`);
      await page.getByTestId('new-webhook').click();
      await page.getByTestId('webhook-url').fill('https://hooks.example.com/charla');
      await page.waitForTimeout(300);
      let file = path.join(OUT, `webhooks-form-${lang}-${device}.png`);
      await page.screenshot({ path: file });
      shots.push(file);
      await page.getByTestId('webhook-submit').click();
      await page.getByTestId('webhook-secret').waitFor();
      await page.waitForTimeout(300);
      file = path.join(OUT, `webhooks-secret-${lang}-${device}.png`);
      await page.screenshot({ path: file });
      shots.push(file);
      await page.getByTestId('webhook-secret-done').click();
      await context.close();
    }
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

/** A few shared canned replies in both languages (issue 19.4) for the canned replies page. */
async function seedCannedReplies(url: string, admin: Record<string, string>): Promise<void> {
  const replies = [
    [
      'es',
      'saludo',
      'Saludo',
      'Hola {{contact.name}}, soy {{agent.name}}. ¿En qué te puedo ayudar?',
    ],
    [
      'es',
      'caso',
      'Seguimiento del caso',
      'Sigo tu caso {{case.number}}; te escribo en cuanto sepa algo.',
    ],
    ['en', 'hello', 'Greeting', 'Hi {{contact.name}}, this is {{agent.name}}. How can I help?'],
  ];
  for (const [language, shortcut, title, text] of replies) {
    await fetch(`${url}/api/canned-replies`, {
      method: 'POST',
      headers: { ...admin, 'content-type': 'application/json' },
      body: JSON.stringify({ scope: 'shared', language, shortcut, title, text }),
    });
  }
}

/** Two teams with members and routing rules (issue 19.5) for the teams page. */
async function seedTeams(
  url: string,
  admin: Record<string, string>,
  users: Record<string, string>,
): Promise<void> {
  const teams = [
    { name: 'Ventas', members: [users.agent], languages: ['es'], intents: ['pricing'] },
    {
      name: 'Customer support (weekends and public holidays)',
      members: [users.agent, users.admin],
      languages: ['en'],
      intents: ['open_case', 'order_status'],
      flows: ['support_case'],
    },
  ];
  for (const team of teams) {
    await fetch(`${url}/api/teams`, {
      method: 'POST',
      headers: { ...admin, 'content-type': 'application/json' },
      body: JSON.stringify(team),
    });
  }
}
