/**
 * WhatsApp through whatsapp-web.js (a linked WhatsApp Web session): for small deployments without
 * a Cloud API account. Enabled by WHATSAPP_WEB=1; log in once by scanning the QR that admins get
 * at GET /api/whatsapp-web/qr; the session persists under DATA_DIR/whatsapp-web. One process only:
 * a WhatsApp Web session cannot be shared.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type {
  AdapterDeps,
  AdapterFactory,
  ChannelAdapter,
} from '../../src/kernel/contracts/channel-adapter.js';
import { ChannelSendError } from '../../src/kernel/contracts/channel-adapter.js';
import type { WhatsAppWebConfig } from '../../src/kernel/config/config.js';
import { requireRole } from '../../src/http/guard.js';
import { ACCESS } from '../../src/kernel/roles.js';
import { errorResponses } from '../../src/http/schemas.js';
import {
  createRealClient,
  type WhatsAppWebClientFactory,
  type WhatsAppWebMessage,
} from './client.js';
import { MenuMemory, renderMenu } from './menu.js';
import { ignoreReason, toInbound } from './parse.js';

export const WHATSAPP_WEB_QR_PATH = '/api/whatsapp-web/qr';

export type WhatsAppWebStatus = 'starting' | 'qr' | 'ready' | 'disconnected';
const qrAnswer = z.object({
  status: z.enum(['starting', 'qr', 'ready', 'disconnected']),
  qr: z.string().optional(),
});

export interface WhatsAppWebOptions {
  /** Tests inject a fake client; production uses whatsapp-web.js. */
  clientFactory?: WhatsAppWebClientFactory;
  /** Delay before re-initialising after a disconnect. */
  reconnectMs?: number;
}

/** WhatsApp answers these for chats that cannot exist: retrying will not help. */
const PERMANENT = /invalid wid|no lid for user|not a valid|wid error/i;
const INGEST_ATTEMPTS = 3;

export function createWhatsAppWebAdapter(
  cfg: WhatsAppWebConfig,
  deps: Omit<AdapterDeps, 'config'>,
  opts: WhatsAppWebOptions = {},
): ChannelAdapter {
  const log = deps.logger.child({ channel: 'whatsapp-web' });
  const client = (opts.clientFactory ?? createRealClient)({
    authDir: cfg.authDir,
    chromiumPath: cfg.chromiumPath,
  });
  const menus = new MenuMemory();
  let status: WhatsAppWebStatus = 'starting';
  let qr: string | undefined;
  let stopped = false;
  let reconnectTimer: NodeJS.Timeout | undefined;
  // Messages reach the engine in the order WhatsApp delivered them.
  let inboundChain: Promise<void> = Promise.resolve();

  async function ingest(m: WhatsAppWebMessage): Promise<void> {
    const skip = ignoreReason(m);
    const inbound = skip ? undefined : toInbound(m);
    if (!inbound) {
      log.debug({ reason: skip ?? `type:${m.type}` }, 'message ignored');
      return;
    }
    const payload = menus.resolve(inbound.platformConversationId, inbound.text);
    if (payload !== undefined) inbound.text = payload;
    // WhatsApp Web never redelivers: a transient store failure gets a few local retries.
    for (let attempt = 1; ; attempt++) {
      try {
        await deps.sink.ingest(inbound);
        return;
      } catch (err) {
        if (attempt >= INGEST_ATTEMPTS) throw err;
        await new Promise((r) => setTimeout(r, 500 * attempt));
      }
    }
  }

  client.on('qr', (code) => {
    status = 'qr';
    qr = code;
    // The QR is a login secret: only admins see it, through the API.
    log.info(`WhatsApp Web waiting for a QR scan: GET ${WHATSAPP_WEB_QR_PATH}`);
  });
  client.on('ready', () => {
    status = 'ready';
    qr = undefined;
    log.info('WhatsApp Web session ready');
  });
  client.on('disconnected', (reason) => {
    status = 'disconnected';
    log.warn({ reason }, 'WhatsApp Web session disconnected');
    if (stopped) return;
    reconnectTimer = setTimeout(() => {
      status = 'starting';
      client
        .destroy()
        .then(() => client.initialize())
        .catch((err: unknown) => log.error({ err }, 'WhatsApp Web re-initialisation failed'));
    }, opts.reconnectMs ?? 15_000);
  });
  client.on('message', (m) => {
    inboundChain = inboundChain
      .then(() => ingest(m))
      .catch((err: unknown) => log.error({ err }, 'WhatsApp Web message could not be stored'));
  });

  function mount(server: FastifyInstance): void {
    server.withTypeProvider<ZodTypeProvider>().get(
      WHATSAPP_WEB_QR_PATH,
      {
        onRequest: requireRole(...ACCESS.whatsappLink.read), // admin only: the QR links a WhatsApp account
        schema: {
          tags: ['whatsapp-web'],
          summary: 'Login state of the WhatsApp Web session, with the QR code to scan',
          response: { 200: qrAnswer, ...errorResponses(401, 403) },
        },
      },
      async () => (qr ? { status, qr } : { status }),
    );
  }

  return {
    id: 'whatsapp-web',
    capabilities: { buttons: false, media: false, typing: false, maxTextLength: 4096 },
    // Same rule as the Cloud API: a person's WhatsApp, written to only after they wrote.
    outreach: { windowHours: 24 },
    mount,
    async start() {
      // Not awaited: the first start waits for a QR scan, which must not hold the app's start-up.
      client.initialize().catch((err: unknown) => {
        status = 'disconnected';
        log.error({ err }, 'WhatsApp Web could not start (is Chromium at CHROMIUM_PATH?)');
      });
    },
    async stop() {
      stopped = true;
      clearTimeout(reconnectTimer);
      await inboundChain;
      await client.destroy();
    },
    async send(message) {
      if (status !== 'ready') {
        throw new ChannelSendError('whatsapp-web session not ready', {
          retryable: true,
          retryAfterMs: 30_000,
        });
      }
      const chatId = message.platformConversationId;
      const replies = message.quickReplies ?? [];
      if (replies.length > 0) menus.remember(chatId, replies);
      try {
        const sent = await client.sendMessage(chatId, renderMenu(message.text, replies));
        return { platformMessageId: sent.id };
      } catch (err) {
        const why = err instanceof Error ? err.message : String(err);
        const permanent = PERMANENT.test(why);
        // Library messages name the chat id (a phone number): keep only the error class.
        const name = err instanceof Error ? err.name : 'error';
        throw new ChannelSendError(
          `whatsapp-web send failed (${name}${permanent ? ': chat not found' : ''})`,
          { retryable: !permanent },
        );
      }
    },
  };
}

/**
 * Registry entry: on with WHATSAPP_WEB=1, in the process that runs the workers. The session lives
 * where messages are sent from, so a ROLE=web process leaves it to the worker.
 */
export const whatsappWebAdapter: AdapterFactory = (deps) => {
  const cfg = deps.config.channels.whatsappWeb;
  if (!cfg) return undefined;
  if (deps.config.role === 'web') {
    deps.logger.info(
      { channel: 'whatsapp-web' },
      'channel whatsapp-web off in this process: it runs with the workers (ROLE=all or worker)',
    );
    return undefined;
  }
  return createWhatsAppWebAdapter(cfg, deps);
};
