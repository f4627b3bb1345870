/**
 * The widget script and the demo page, served from channels/webchat/public with their content
 * types. Read once at start-up: they are small and change only with a deploy.
 */
import { readFile } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';

const PUBLIC_DIR = new URL('./public/', import.meta.url);

const ASSETS = [
  { route: '/', file: 'index.html', type: 'text/html; charset=utf-8' },
  { route: '/widget.js', file: 'widget.js', type: 'text/javascript; charset=utf-8' },
] as const;

export async function mountWebchatAssets(server: FastifyInstance): Promise<void> {
  for (const asset of ASSETS) {
    const body = await readFile(new URL(asset.file, PUBLIC_DIR));
    server.get(asset.route, async (_req, reply) =>
      reply
        .header('content-type', asset.type)
        .header('cache-control', 'public, max-age=300')
        .header('x-content-type-options', 'nosniff')
        .send(body),
    );
  }
}
