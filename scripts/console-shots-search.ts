/**
 * Screenshots of search everywhere and the keyboard help for scripts/console-screenshots.ts
 * (es/en, 1280 and 375 px): the search dialog just opened (the hint), with results of several
 * types (the admin, the second one active), and the agent's help dialog (`?`). Seeds its own
 * customer (contact, conversation, lead, case) through the models: the script's Charla runs in
 * this process.
 */
import path from 'node:path';
import { Types } from 'mongoose';
import type { Browser, Page } from 'playwright-core';
import { Case } from '../src/kernel/db/models/case.js';
import { Contact } from '../src/kernel/db/models/contact.js';
import { Conversation } from '../src/kernel/db/models/conversation.js';
import { Lead } from '../src/kernel/db/models/lead.js';
import { Message } from '../src/kernel/db/models/message.js';
import { searchTerms } from '../src/kernel/search-terms.js';
import { SEED_PASSWORD, SEED_USERS, type SeedRole } from './console-seed.js';

const VIEWPORTS = { desktop: { width: 1280, height: 800 }, phone: { width: 375, height: 740 } };
const LANGUAGES = { es: 'es-ES', en: 'en-GB' } as const;

export const SEARCH_SHOTS = ['search-open', 'search-results', 'shortcut-help'];

async function seedSearchable(): Promise<void> {
  const contact = await Contact.create({
    name: 'Leocadia Villaverde',
    emails: ['leocadia.villaverde@example.com'],
    phones: ['+34600123456'],
  });
  for (const [i, text] of [
    'Hola, soy Leocadia: la cafetera que pedí llegó con el cristal roto',
    'Leocadia otra vez: ¿podéis recoger la cafetera el jueves?',
  ].entries()) {
    const conversation = await Conversation.create({
      contactId: contact._id,
      channel: i === 0 ? 'webchat' : 'whatsapp',
      platformConversationId: `shots-search-${i}-${new Types.ObjectId()}`,
      platformUserId: `shots-search-${i}`,
      status: i === 0 ? 'closed' : 'bot',
    });
    await Message.collection.insertOne({
      conversationId: conversation._id,
      contactId: contact._id,
      channel: conversation.channel,
      direction: 'in',
      author: 'customer',
      text,
      terms: searchTerms(text),
      internal: false,
      dedupeKey: `shots-search:${new Types.ObjectId()}`,
      status: 'processed',
      attempts: 0,
      createdAt: new Date(Date.now() - i * 3_600_000),
      updatedAt: new Date(),
    });
  }
  await Lead.create({
    name: 'Leocadia Villaverde',
    email: 'leocadia.villaverde@example.com',
    company: 'Cafetería <La Villaverde>',
    channel: 'webchat',
  });
  await Case.create({
    number: 'CS-000913',
    subject: 'Cafetera rota — Leocadia Villaverde',
    description: 'Llegó con el cristal roto; quiere que la recojan el jueves',
    channel: 'webchat',
    contactId: contact._id,
  });
}

export async function shootSearch(opts: {
  browser: Browser;
  url: string;
  out: string;
  shots: string[];
  only?: string[];
}): Promise<void> {
  const { browser, url, out, shots, only } = opts;
  const wanted = (name: string) => !only || only.includes(name);
  await seedSearchable();
  for (const [lang, locale] of Object.entries(LANGUAGES)) {
    for (const [device, viewport] of Object.entries(VIEWPORTS)) {
      const shot = async (page: Page, name: string) => {
        await page.waitForTimeout(400);
        const file = path.join(out, `${name}-${lang}-${device}.png`);
        await page.screenshot({ path: file });
        shots.push(file);
      };
      const open = async (role: SeedRole, at: string) => {
        const context = await browser.newContext({ locale, viewport });
        await context.request.post(`${url}/api/auth/login`, {
          data: { email: SEED_USERS[role].email, password: SEED_PASSWORD },
        });
        const page = await context.newPage();
        await page.goto(`${url}/console${at}`);
        await page.locator('h1').first().waitFor();
        return { context, page };
      };
      if (wanted('search-open') || wanted('search-results')) {
        const { context, page } = await open('admin', '/cases');
        await page.getByTestId('global-search').click();
        const input = page.getByTestId('global-search-input');
        await input.waitFor();
        if (wanted('search-open')) await shot(page, 'search-open');
        await input.fill('leocadia');
        await page.locator('[data-testid="search-group-leads"]').waitFor();
        await input.press('ArrowDown');
        if (wanted('search-results')) await shot(page, 'search-results');
        await context.close();
      }
      if (wanted('shortcut-help')) {
        const { context, page } = await open('agent', '/conversations');
        await page.locator('body').press('?');
        await page.getByTestId('shortcut-help').waitFor();
        await shot(page, 'shortcut-help');
        await context.close();
      }
    }
  }
}
