/**
 * The web chat channel: a small HTTP + WebSocket API for the embeddable widget (public/widget.js)
 * and the demo page at `/`. Always on: it needs no platform credentials. Delivering a reply means
 * publishing it to the session's realtime topic; the visitor's open sockets (on any instance)
 * push it, and GET /messages serves it to a visitor who was away.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  ChannelSendError,
  type AdapterDeps,
  type AdapterFactory,
  type ChannelAdapter,
} from '../../src/kernel/contracts/channel-adapter.js';
import { createFailureLimiter } from '../../src/http/failed-attempts.js';
import type { OutboundMessage } from '../../src/kernel/contracts/messages.js';
import { findMessage } from '../../src/kernel/db/messages.js';
import { mountWebchatAssets } from './assets.js';
import { toView, type WebchatMessageView } from './message-view.js';
import { MAX_TEXT_LENGTH, mountWebchatRoutes } from './routes.js';
import { createSessionCodec } from './session-codec.js';
import { createSessionGuard } from './session-guard.js';
import { resolveSessionSecret } from './session-secret.js';
import { findSession } from './sessions.js';
import { mountWebchatStream } from './stream.js';
import { sessionTopic } from './topic.js';

/**
 * The widget runs on customers' sites, so the API answers any origin. That is safe because it is
 * authorised by bearer tokens the page holds, never by cookies.
 */
async function allowAnyOrigin(req: FastifyRequest, reply: FastifyReply): Promise<void> {
  reply.header('access-control-allow-origin', '*');
  if (req.method === 'OPTIONS') {
    reply
      .header('access-control-allow-methods', 'GET, POST, OPTIONS')
      .header('access-control-allow-headers', 'authorization, content-type')
      .header('access-control-max-age', '600');
  }
}

export function createWebchatAdapter(deps: AdapterDeps): ChannelAdapter {
  const { realtime, logger, sink } = deps;
  return {
    id: 'webchat',
    capabilities: { buttons: true, media: false, typing: false, maxTextLength: MAX_TEXT_LENGTH },
    // Staff may write while the visitor's session is known (the widget shows it when it returns).
    outreach: { reachable: async (sessionId) => (await findSession(sessionId)) !== null },

    async mount(server: FastifyInstance) {
      const limits = deps.config.webchatLimits;
      if (!server.failureLimits) throw new Error('web chat: server.failureLimits is not set');
      const codec = createSessionCodec(await resolveSessionSecret(deps.config.sessionSecret));
      const failures = createFailureLimiter({
        ...server.failureLimits,
        bucket: 'webchat-auth',
        maxFailures: limits.authFailuresPerMinute,
      });
      const guard = createSessionGuard({ codec, failures });
      await server.register(async (scope) => {
        scope.addHook('onRequest', allowAnyOrigin);
        scope.options('/api/webchat/*', async (_req, reply) => reply.status(204).send());
        mountWebchatRoutes(scope, { sink, realtime, logger, limits, codec, guard });
        mountWebchatStream(scope, {
          realtime,
          logger,
          guard,
          connectsPerMinute: limits.streamsPerMinute,
        });
      });
      await mountWebchatAssets(server);
    },

    async send(message) {
      // The delivery hands over the stored reply's fields; only an incomplete message is re-read.
      const view = viewOf(message) ?? (await storedView(message.id));
      if (!view) return {};
      try {
        await realtime.publish(sessionTopic(message.platformConversationId), view);
      } catch (err) {
        throw new ChannelSendError(`realtime publish failed: ${String(err)}`, { retryable: true });
      }
      return { platformMessageId: message.id };
    },
  };
}

/** The visitor's view of an outbound message that carries author and time (no MongoDB read). */
function viewOf(message: OutboundMessage): WebchatMessageView | undefined {
  if (!message.author || !message.createdAt || message.internal !== false) return undefined;
  return {
    id: message.id,
    direction: 'out',
    author: message.author,
    text: message.text,
    createdAt: new Date(message.createdAt).toISOString(),
    ...(message.quickReplies?.length
      ? { quickReplies: message.quickReplies.map((q) => ({ title: q.title, payload: q.payload })) }
      : {}),
    ...(message.awaiting?.flow && message.awaiting.slot
      ? { awaiting: { flow: message.awaiting.flow, slot: message.awaiting.slot } }
      : {}),
  };
}

/** The stored message's view; none for a staff-only note (never shown to the visitor). */
async function storedView(id: string): Promise<WebchatMessageView | undefined> {
  const stored = await findMessage(id);
  return stored && !stored.internal ? toView(stored) : undefined;
}

export const webchatFactory: AdapterFactory = (deps) => createWebchatAdapter(deps);
