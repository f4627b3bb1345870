/**
 * Serves the built console (console/dist, made by `npm run build:console`) at /console:
 * - /console/assets/* — content-hashed files, cached for a year (immutable);
 * - other files at the top of dist (favicon) — cached for an hour;
 * - every other path under /console — index.html, never cached, so the SPA's router takes over
 *   and a deploy shows at the next load.
 * A strict Content-Security-Policy goes with every answer. Without a build, /console answers 503
 * with what to run.
 */
import { stat, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';

export const CONSOLE_DIST_DIR = fileURLToPath(new URL('../../console/dist/', import.meta.url));

export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  // Mantine writes its CSS variables in a <style> element at run time.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self' ws: wss:",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "object-src 'none'",
].join('; ');

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Charla console not built</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; padding: 0 1rem">
<h1>The console is not built yet</h1>
<p>Run <code>npm run build:console</code> (or restart with <code>npm start</code>, which builds it) and reload this page.</p>
<h1 lang="es">La consola aún no está compilada</h1>
<p lang="es">Ejecuta <code>npm run build:console</code> (o reinicia con <code>npm start</code>, que la compila) y vuelve a cargar esta página.</p>
</body></html>`;

async function isFile(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isFile();
  } catch {
    return false;
  }
}

export async function mountConsole(
  server: FastifyInstance,
  opts: { distDir?: string } = {},
): Promise<void> {
  const dist = path.resolve(opts.distDir ?? CONSOLE_DIST_DIR);
  await server.register(async (scope) => {
    await scope.register(fastifyStatic, { root: dist, serve: false, index: false });
    scope.addHook('onSend', async (_req, reply, payload) => {
      reply
        .header('content-security-policy', CONSOLE_CSP)
        .header('x-content-type-options', 'nosniff')
        .header('x-frame-options', 'DENY')
        .header('referrer-policy', 'same-origin');
      return payload;
    });

    const sendApp = async (reply: FastifyReply) => {
      let html: Buffer;
      try {
        html = await readFile(path.join(dist, 'index.html'));
      } catch {
        return reply
          .status(503)
          .header('cache-control', 'no-store')
          .type('text/html; charset=utf-8')
          .send(NOT_BUILT_PAGE);
      }
      return reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(html);
    };

    scope.get('/console', { schema: { hide: true } }, (_req, reply) => sendApp(reply));
    scope.get<{ Params: { '*': string } }>(
      '/console/*',
      { schema: { hide: true } },
      async (req, reply) => {
        const rel = req.params['*'] ?? '';
        const file = path.resolve(dist, rel);
        const inside = file.startsWith(dist + path.sep);
        if (rel.startsWith('assets/')) {
          if (inside && (await isFile(file))) {
            return reply.sendFile(rel, { maxAge: '365d', immutable: true });
          }
          return reply.status(404).send({
            error: { code: 'not_found', message: `No console asset ${rel}.` },
          });
        }
        if (inside && rel !== 'index.html' && path.extname(rel) && (await isFile(file))) {
          return reply.sendFile(rel, { maxAge: '1h' });
        }
        return sendApp(reply);
      },
    );
  });
}
