/**
 * Screenshots of the sequences (issue 21.6) for scripts/console-screenshots.ts, es/en at 1280 and
 * 375 px: the list with who is in a sequence opened, the editor with its steps, and the contact
 * page's "Sequences" section. Seeds one sequence and enrols a contact through the API.
 */
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { SEED_PASSWORD, SEED_USERS, type SeedRole } from './console-seed.js';

const VIEWPORTS = { desktop: { width: 1280, height: 800 }, phone: { width: 375, height: 740 } };
const LANGUAGES = { es: 'es-ES', en: 'en-GB' } as const;

async function seedSequence(url: string, admin: Record<string, string>, contactId: string) {
  const headers = { ...admin, 'content-type': 'application/json' };
  const res = await fetch(`${url}/api/sequences`, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      name: 'Nuevos leads · bienvenida',
      trigger: { type: 'lead.created' },
      steps: [
        {
          kind: 'send',
          channel: 'email',
          message: {
            es: { subject: 'Bienvenida', text: 'Hola {{contact.name}}, gracias por tu interés.' },
            en: { subject: 'Welcome', text: 'Hello {{contact.name}}, thanks for your interest.' },
          },
        },
        { kind: 'wait', days: 3 },
        { kind: 'branch', when: { on: 'replied' }, goto: 4 },
        {
          kind: 'send',
          channel: 'email',
          message: { es: { subject: '¿Seguimos?', text: '¿Te ayudamos con algo más?' } },
        },
      ],
    }),
  });
  if (res.status !== 201) throw new Error(`seed sequence: ${res.status}`);
  const { id } = (await res.json()) as { id: string };
  const enrol = await fetch(`${url}/api/sequences/${id}/enrolments`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ contactId }),
  });
  if (enrol.status !== 201) throw new Error(`seed enrolment: ${enrol.status}`);
}

export async function shootSequences(opts: {
  browser: Browser;
  url: string;
  admin: Record<string, string>;
  contactId: string;
  out: string;
  shots: string[];
  only?: string[];
}): Promise<void> {
  const { browser, url, out, shots, only } = opts;
  await seedSequence(url, opts.admin, opts.contactId);
  for (const [lang, locale] of Object.entries(LANGUAGES)) {
    for (const [device, viewport] of Object.entries(VIEWPORTS)) {
      const context = await browser.newContext({ locale, viewport });
      const signIn = async (role: SeedRole) => {
        const login = await context.request.post(`${url}/api/auth/login`, {
          data: { email: SEED_USERS[role].email, password: SEED_PASSWORD },
        });
        if (login.status() !== 200) throw new Error(`sign-in ${role}: ${login.status()}`);
      };
      await signIn('marketer');
      const page = await context.newPage();
      const shot = async (name: string) => {
        if (only && !only.includes(name)) return;
        await page.waitForTimeout(300);
        const file = path.join(out, `${name}-${lang}-${device}.png`);
        await page.screenshot({ path: file, fullPage: true });
        shots.push(file);
      };
      await page.goto(`${url}/console/sequences`);
      await page.getByTestId('sequence-row').first().waitFor();
      await page
        .getByTestId('sequence-row')
        .first()
        .getByRole('button', { name: lang === 'es' ? 'Quién está en ella' : 'Who is in it' })
        .click();
      await page.locator('table').first().waitFor();
      await shot('sequences');
      await page
        .getByTestId('sequence-row')
        .first()
        .getByRole('button', { name: lang === 'es' ? 'Editar secuencia' : 'Edit sequence' })
        .click();
      await page.getByTestId('sequence-step').first().waitFor();
      await shot('sequence-editor');
      await page.goto(`${url}/console/contacts/${opts.contactId}`);
      await page
        .getByTestId('contact-sequences')
        .getByText(/Nuevos leads/)
        .waitFor();
      await shot('contact-sequences');
      await context.close();
    }
  }
}
