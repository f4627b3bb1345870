/**
 * The widget shows customer and bot text as text: markup typed by a visitor, or repeated in a
 * reply, never becomes elements or runs script (real Chromium, real Charla).
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { conversationOf, startTestApp, type TestApp } from '../support/app.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const HOSTILE =
  '<img src=x onerror="window.__pwned=1"><b>bold</b><script>window.__pwned=2</script>';

let app: TestApp;
let browser: Browser;

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
  await browser?.close();
  await app?.stop();
});

it('renders hostile visitor and reply text as text, never as HTML', async () => {
  const context = await browser.newContext({ locale: 'es' });
  const page = await context.newPage();
  await page.goto(`${app.url}/`);
  const cspViolations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
  });
  await page.getByTestId('charla-launcher').click();
  // Under the demo page's CSP the widget still opens its WebSocket (not only the polling fallback).
  await expect
    .poll(() => page.getByTestId('charla-status').getAttribute('data-state'), { timeout: 10_000 })
    .toBe('online');
  await page.getByTestId('charla-input').fill(HOSTILE);
  await page.getByTestId('charla-input').press('Enter');
  const bubble = page.locator('[data-testid="charla-message"][data-direction="in"]').first();
  await expect.poll(() => bubble.textContent()).toBe(HOSTILE);

  // A reply repeating the markup (as "Thanks, {name}" would) arrives over the socket.
  const key = await page.waitForFunction(() =>
    Object.keys(localStorage).find((k) => k.startsWith('charla-webchat:')),
  );
  const stored = await page.evaluate(
    (k) => localStorage.getItem(k as string),
    await key.jsonValue(),
  );
  const { sessionId } = JSON.parse(stored!) as { sessionId: string };
  const conv = await conversationOf('webchat', { platformConversationId: sessionId });
  await app.charla.services.outbox.send(conv, [{ text: `Gracias, ${HOSTILE}` }]);
  const reply = page.locator('[data-testid="charla-message"]', { hasText: 'Gracias, <img' });
  await expect.poll(() => reply.count(), { timeout: 10_000 }).toBe(1);
  expect(await reply.textContent()).toContain(`Gracias, ${HOSTILE}`);

  // No element came from the text, and no script ran.
  const injected = await page.evaluate(() => {
    const root = document.getElementById('charla-widget')?.shadowRoot;
    return root?.querySelectorAll(
      '#charla-messages img, #charla-messages b, #charla-messages script',
    ).length;
  });
  expect(injected).toBe(0);
  expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
  expect(cspViolations).toEqual([]);
  await context.close();
});
