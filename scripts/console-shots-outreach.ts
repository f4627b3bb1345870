/**
 * Screenshots of "Write to this contact" (issue 19.3) for scripts/console-screenshots.ts, es/en
 * at 1280 and 375 px: the contact page's header as an agent sees it, and the dialog with a message
 * typed — the web chat channel open, and a Telegram conversation of the same customer refused
 * (Telegram is not connected in the screenshot app), so both states show.
 */
import path from 'node:path';
import { Types } from 'mongoose';
import type { Browser } from 'playwright-core';
import { Conversation } from '../src/kernel/db/models/conversation.js';
import { SEED_PASSWORD, SEED_USERS } from './console-seed.js';

const VIEWPORTS = { desktop: { width: 1280, height: 800 }, phone: { width: 375, height: 740 } };
const LANGUAGES = { es: 'es-ES', en: 'en-GB' } as const;

export async function shootWriteToContact(opts: {
  browser: Browser;
  url: string;
  contactId: string;
  out: string;
  shots: string[];
  only?: string[];
}): Promise<void> {
  const { browser, url, out, shots, only, contactId } = opts;
  const names = ['contact-agent', 'write-to-contact'];
  if (only && !names.some((n) => only.includes(n))) return;
  await Conversation.create({
    contactId: new Types.ObjectId(contactId),
    channel: 'telegram',
    platformConversationId: `shots-telegram-${contactId}`,
    platformUserId: 'shots-telegram-user',
    status: 'closed',
    lastMessageAt: new Date(Date.now() - 3 * 86_400_000),
  });
  for (const [lang, locale] of Object.entries(LANGUAGES)) {
    for (const [device, viewport] of Object.entries(VIEWPORTS)) {
      const context = await browser.newContext({ locale, viewport });
      const login = await context.request.post(`${url}/api/auth/login`, {
        data: { email: SEED_USERS.agent.email, password: SEED_PASSWORD },
      });
      if (login.status() !== 200) throw new Error(`sign-in agent: ${login.status()}`);
      const page = await context.newPage();
      const shot = async (name: string) => {
        if (only && !only.includes(name)) return;
        await page.waitForTimeout(300);
        const file = path.join(out, `${name}-${lang}-${device}.png`);
        await page.screenshot({ path: file });
        shots.push(file);
      };
      await page.goto(`${url}/console/contacts/${contactId}`);
      await page.getByTestId('write-open').waitFor();
      await shot('contact-agent');
      await page.getByTestId('write-open').click();
      await page.getByTestId('write-channel').nth(1).waitFor();
      await page
        .getByTestId('write-text')
        .fill(
          lang === 'es'
            ? 'Hola, te escribo para saber si pudiste resolver la duda del pedido.'
            : 'Hi, just checking whether your order question was sorted out.',
        );
      await shot('write-to-contact');
      await context.close();
    }
  }
}
