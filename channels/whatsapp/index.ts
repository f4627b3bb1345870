/**
 * WhatsApp Cloud API adapter (production WhatsApp). GET /webhooks/whatsapp answers Meta's
 * subscription challenge; POST /webhooks/whatsapp takes signed message notifications; replies go
 * out through the Graph API. Enabled by WHATSAPP_CLOUD_TOKEN, WHATSAPP_CLOUD_PHONE_ID,
 * WHATSAPP_APP_SECRET and WHATSAPP_VERIFY_TOKEN (WHATSAPP_GRAPH_URL overrides the Graph base URL).
 */
import type { FastifyInstance } from 'fastify';
import type {
  AdapterDeps,
  AdapterFactory,
  ChannelAdapter,
} from '../../src/kernel/contracts/channel-adapter.js';
import type { WhatsAppCloudConfig } from '../../src/kernel/config/config.js';
import { forbidden, invalid, unauthenticated } from '../../src/kernel/errors.js';
import {
  buildPayload,
  LIMITS,
  listTemplates,
  postMessage,
  templatePayload,
} from './graph-client.js';
import { parseStatuses, parseWebhook, webhookSchema } from './parse.js';
import { isValidSignature, safeEqual } from './signature.js';

export const WHATSAPP_WEBHOOK_PATH = '/webhooks/whatsapp';

export function createWhatsAppCloudAdapter(
  cfg: WhatsAppCloudConfig,
  deps: Omit<AdapterDeps, 'config'> & { defaultLocale: 'es' | 'en' },
): ChannelAdapter {
  const { sink, logger } = deps;
  const log = logger.child({ channel: 'whatsapp' });

  function mount(server: FastifyInstance): void {
    server.get(WHATSAPP_WEBHOOK_PATH, async (req, reply) => {
      const q = req.query as Record<string, string | undefined>;
      const mode = q['hub.mode'];
      const token = q['hub.verify_token'];
      const challenge = q['hub.challenge'];
      if (mode !== 'subscribe' || !token || !safeEqual(token, cfg.verifyToken)) {
        throw forbidden('forbidden', 'The verify token does not match.');
      }
      // Meta sends a number; anything else is not echoed back.
      if (typeof challenge !== 'string' || !/^[\w.-]{1,128}$/.test(challenge)) {
        throw invalid('invalid_challenge', 'hub.challenge must be a short token.');
      }
      log.info('webhook subscription verified');
      return reply.type('text/plain').send(challenge);
    });

    server.post(WHATSAPP_WEBHOOK_PATH, async (req, reply) => {
      const header = req.headers['x-hub-signature-256'];
      const signature = Array.isArray(header) ? header[0] : header;
      if (!signature)
        throw unauthenticated('unauthorized', 'The X-Hub-Signature-256 header is required.');
      if (!isValidSignature(cfg.appSecret, req.rawBody ?? '', signature)) {
        log.warn('rejected a webhook with a bad signature');
        throw forbidden('forbidden', 'The request signature is not valid.');
      }
      const payload = webhookSchema.safeParse(req.body);
      if (!payload.success) {
        throw invalid('invalid_payload', 'The body is not a WhatsApp webhook notification.');
      }
      if (payload.data.object !== 'whatsapp_business_account') {
        return reply.status(200).send({ ok: true, ignored: true });
      }
      const { messages, ignored } = parseWebhook(payload.data, cfg.phoneId);
      // In order, one by one: a conversation's messages must reach the engine in sequence.
      let duplicates = 0;
      for (const message of messages) {
        const result = await sink.ingest(message);
        if (result.duplicate) duplicates += 1;
      }
      // Statuses of our messages (sent, delivered, read, failed): receipts for the back office.
      const receipts = parseStatuses(payload.data, cfg.phoneId);
      for (const receipt of receipts) await sink.receipt?.(receipt);
      log.debug(
        { stored: messages.length - duplicates, duplicates, ignored, receipts: receipts.length },
        'webhook handled',
      );
      return reply.status(200).send({ ok: true });
    });
  }

  return {
    id: 'whatsapp',
    capabilities: { buttons: true, media: false, typing: false, maxTextLength: LIMITS.text },
    // Free-form messages only inside the 24-hour customer-service window: Meta refuses them
    // after it (approved templates, below, are not bound by it).
    outreach: { windowHours: 24 },
    // Approved templates (the only marketing WhatsApp delivers): listed with WHATSAPP_WABA_ID.
    templates: {
      async list() {
        if (!cfg.wabaId) return [];
        return listTemplates({ graphUrl: cfg.graphUrl, token: cfg.token, wabaId: cfg.wabaId });
      },
      async send(to, template) {
        const id = await postMessage(
          { graphUrl: cfg.graphUrl, phoneId: cfg.phoneId, token: cfg.token },
          templatePayload(to, template),
        );
        return { platformMessageId: id };
      },
    },
    mount,
    async send(message) {
      const payload = buildPayload(message, message.locale ?? deps.defaultLocale);
      const id = await postMessage(
        { graphUrl: cfg.graphUrl, phoneId: cfg.phoneId, token: cfg.token },
        payload,
      );
      return { platformMessageId: id };
    },
  };
}

/** Registry entry: on when all four WhatsApp Cloud variables are set. */
export const whatsappCloudAdapter: AdapterFactory = (deps) => {
  const cfg = deps.config.channels.whatsappCloud;
  if (!cfg) return undefined;
  return createWhatsAppCloudAdapter(cfg, { ...deps, defaultLocale: deps.config.defaultLocale });
};
