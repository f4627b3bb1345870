/**
 * Screenshots of the contacts import page for scripts/console-screenshots.ts (es/en, 1280 and
 * 375 px, a marketer): the empty page, then a pasted file checked — the guessed columns and the
 * dry run with a bad row, a row folded into an earlier one and a stored customer updated.
 */
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { SEED_PASSWORD, SEED_USERS } from './console-seed.js';

const VIEWPORTS = { desktop: { width: 1280, height: 800 }, phone: { width: 375, height: 740 } };
const LANGUAGES = { es: 'es-ES', en: 'en-GB' } as const;

const CSV = [
  'Nombre;Correo electrónico;Teléfono;Etiquetas;Idioma;Nº cliente',
  'Rosa Díaz Montero;rosa.diaz@example.com;612 000 111;vip,feria;es;R-1',
  'Pablo Gil;pablo(arroba)example.com;12;;klingon;R-2',
  'Rosa D.;;+34 612 000 111;mayorista;;R-1',
  'Harriet Quinn;harriet.quinn@example.co.uk;07911 123456;;English;R-4',
  'Sin datos;;;;;',
].join('\n');

export async function shootContactImport(opts: {
  browser: Browser;
  url: string;
  out: string;
  shots: string[];
  only?: string[];
}): Promise<void> {
  const { browser, url, out, shots, only } = opts;
  for (const [lang, locale] of Object.entries(LANGUAGES)) {
    for (const [device, viewport] of Object.entries(VIEWPORTS)) {
      const context = await browser.newContext({ locale, viewport });
      const login = await context.request.post(`${url}/api/auth/login`, {
        data: { email: SEED_USERS.marketer.email, password: SEED_PASSWORD },
      });
      if (login.status() !== 200) throw new Error(`sign-in marketer: ${login.status()}`);
      const page = await context.newPage();
      await page.goto(`${url}/console/contacts/import`);
      await page.getByTestId('import-csv').waitFor();
      const shot = async (name: string) => {
        if (only && !only.includes(name)) return;
        await page.waitForTimeout(300);
        const file = path.join(out, `${name}-${lang}-${device}.png`);
        await page.screenshot({ path: file, fullPage: true });
        shots.push(file);
      };
      await shot('contacts-import');
      await page.getByTestId('import-csv').fill(CSV);
      await page.getByTestId('import-check').click();
      await page.getByTestId('import-summary').waitFor();
      await shot('contacts-import-checked');
      await context.close();
    }
  }
}
