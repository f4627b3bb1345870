/**
 * Screenshots of the orders import page for scripts/console-screenshots.ts (es/en, 1280 and
 * 375 px) as a marketer: empty (`orders-import`) and after a dry run of a CSV with bad rows
 * (`orders-import-checked`: the mapping, the summary and the rows with problems).
 */
import path from 'node:path';
import type { Browser } from 'playwright-core';

const VIEWPORTS = { desktop: { width: 1280, height: 800 }, phone: { width: 375, height: 740 } };
const LANGUAGES = { es: 'es-ES', en: 'en-GB' } as const;

const CSV = [
  'Order ID,Email,Fecha,Total,Moneda,Estado,Tracking',
  'SHOP-1001,ana@example.com,2026-11-02 10:15,120.50,EUR,shipped,https://track.example/1001',
  'SHOP-1002,,2026-11-03,80,EUR,placed,',
  'SHOP-1003,bea@example.com,ayer,12€,JPY,perdido,',
  'SHOP-1004,carla@example.com,2026-11-04,35,USD,entregado,',
  'SHOP-1001,ana@example.com,2026-11-04,10,EUR,placed,',
].join('\n');

export async function shootOrdersImport(opts: {
  browser: Browser;
  url: string;
  login: { email: string; password: string };
  out: string;
  shots: string[];
  only: string[] | undefined;
}): Promise<void> {
  const wanted = (name: string) => !opts.only || opts.only.includes(name);
  if (!['orders-import', 'orders-import-checked'].some(wanted)) return;
  for (const [lang, locale] of Object.entries(LANGUAGES)) {
    for (const [device, viewport] of Object.entries(VIEWPORTS)) {
      const file = (name: string) => path.join(opts.out, `${name}-${lang}-${device}.png`);
      const context = await opts.browser.newContext({ locale, viewport });
      const res = await context.request.post(`${opts.url}/api/auth/login`, { data: opts.login });
      if (res.status() !== 200) throw new Error(`sign-in: ${res.status()}`);
      const page = await context.newPage();
      await page.goto(`${opts.url}/console/orders/import`);
      await page.locator('h1').waitFor();
      await page.waitForTimeout(300);
      if (wanted('orders-import')) {
        await page.screenshot({ path: file('orders-import'), fullPage: true });
        opts.shots.push(file('orders-import'));
      }
      if (wanted('orders-import-checked')) {
        await page.getByTestId('csv-text').fill(CSV);
        await page.getByTestId('csv-check').click();
        await page.getByTestId('csv-errors').waitFor();
        await page.waitForTimeout(300);
        await page.screenshot({ path: file('orders-import-checked'), fullPage: true });
        opts.shots.push(file('orders-import-checked'));
      }
      await context.close();
    }
  }
}
