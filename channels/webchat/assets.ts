/**
 * The widget script and the demo page, served from channels/webchat/public with their content
 * types. Read once at start-up: they are small and change only with a deploy.
 *
 * The demo page sends a Content-Security-Policy: only its own scripts, styles (inline ones too:
 * the page's and the widget's shadow-root stylesheet), API and WebSocket calls, and it may be
 * framed only by its own origin (`frame-ancestors 'self'`, X-Frame-Options for old browsers).
 * The widget script has no frame or CSP restriction — it is meant to be embedded on any site —
 * and says so to sites that isolate themselves (Cross-Origin-Resource-Policy: cross-origin).
 */
import { readFile } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';

const PUBLIC_DIR = new URL('./public/', import.meta.url);

export const DEMO_PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'self'",
].join('; ');

const ASSETS = [
  {
    route: '/',
    file: 'index.html',
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': DEMO_PAGE_CSP,
      'x-frame-options': 'SAMEORIGIN',
      'referrer-policy': 'strict-origin-when-cross-origin',
    },
  },
  {
    route: '/widget.js',
    file: 'widget.js',
    headers: {
      'content-type': 'text/javascript; charset=utf-8',
      'cross-origin-resource-policy': 'cross-origin',
    },
  },
] as const;

export async function mountWebchatAssets(server: FastifyInstance): Promise<void> {
  for (const asset of ASSETS) {
    const body = await readFile(new URL(asset.file, PUBLIC_DIR));
    server.get(asset.route, async (_req, reply) =>
      reply
        .headers(asset.headers)
        .header('cache-control', 'public, max-age=300')
        .header('x-content-type-options', 'nosniff')
        .send(body),
    );
  }
}
