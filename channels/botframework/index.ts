/**
 * Bot Framework adapter (Teams, Web Chat, Direct Line, the Emulator, ...) on botbuilder's
 * CloudAdapter. POST /api/messages takes activities; with MICROSOFT_APP_ID set, each request must
 * carry a Bot Connector JWT (401 otherwise, nothing stored). Replies are sent proactively from the
 * outbound queue through the stored conversation reference, so the HTTP ack never waits for the
 * engine. Enabled by MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD (MICROSOFT_APP_TENANT_ID for a
 * single-tenant app).
 */
import type { FastifyInstance } from 'fastify';
import { CloudAdapter, type Activity, type TurnContext } from 'botbuilder';
import type { BotFrameworkAuthentication } from 'botframework-connector';
import type {
  AdapterDeps,
  AdapterFactory,
  ChannelAdapter,
} from '../../src/kernel/contracts/channel-adapter.js';
import type { BotFrameworkConfig } from '../../src/kernel/config/config.js';
import {
  type DomainError,
  invalid,
  unauthenticated,
  unavailable,
} from '../../src/kernel/errors.js';
import { activitySchema, conversationReference, toActivity, toInbound } from './activity.js';
import { createBotAuthentication } from './auth.js';
import { sendError } from './send-errors.js';

export const BOTFRAMEWORK_PATH = '/api/messages';

/** CloudAdapter with its turn entry point reachable: fastify parses the body, we own the response. */
class CharlaCloudAdapter extends CloudAdapter {
  constructor(auth: BotFrameworkAuthentication) {
    super(auth);
  }
  runTurn(authHeader: string, activity: Activity, logic: (ctx: TurnContext) => Promise<void>) {
    return this.processActivity(authHeader, activity, logic);
  }
}

/** Failures of the JWT check: the connector's AuthenticationError and jsonwebtoken's errors. */
function authFailure(err: unknown): DomainError | undefined {
  const e = err as { name?: string; statusCode?: number; constructor?: { name?: string } };
  const name = e.constructor?.name ?? e.name;
  if (name === 'AuthenticationError') {
    // The connector reports its own outage (keys could not be fetched) as 500: the channel retries.
    return (e.statusCode ?? 401) >= 500
      ? unavailable('auth_unavailable', 'Signing keys are unavailable; try again later.')
      : unauthenticated('unauthorized', 'A valid Bot Framework token is required.');
  }
  if (name === 'JsonWebTokenError' || name === 'TokenExpiredError' || name === 'NotBeforeError') {
    return unauthenticated('unauthorized', 'A valid Bot Framework token is required.');
  }
  return undefined;
}

export function createBotFrameworkAdapter(
  cfg: BotFrameworkConfig,
  deps: Omit<AdapterDeps, 'config'>,
): ChannelAdapter {
  const log = deps.logger.child({ channel: 'botframework' });
  const cloud = new CharlaCloudAdapter(createBotAuthentication(cfg));
  if (!cfg.appId) {
    log.warn('MICROSOFT_APP_ID is not set: requests are not authenticated (Emulator use only)');
  }

  function mount(server: FastifyInstance): void {
    server.post(BOTFRAMEWORK_PATH, async (req, reply) => {
      const parsed = activitySchema.safeParse(req.body);
      if (!parsed.success)
        throw invalid('invalid_activity', 'The body is not a Bot Framework activity.');
      const activity = parsed.data as unknown as Activity;
      const authHeader = req.headers.authorization ?? '';
      let stored = 0;
      try {
        await cloud.runTurn(authHeader, activity, async (ctx) => {
          if (ctx.activity.type !== 'message') return;
          const inbound = toInbound(ctx.activity, req.rawBody ?? '');
          if (!inbound) return;
          await deps.sink.ingest(inbound);
          stored += 1;
        });
      } catch (err) {
        const denied = authFailure(err);
        if (denied) {
          log.warn({ code: denied.code }, 'rejected an activity that failed authentication');
          throw denied;
        }
        throw err;
      }
      log.debug({ type: activity.type, stored }, 'activity handled');
      return reply.status(200).send();
    });
  }

  return {
    id: 'botframework',
    capabilities: { buttons: true, media: false, typing: false, maxTextLength: 4000 },
    // Proactive messages go to the stored conversation reference (serviceUrl in replyContext).
    outreach: {},
    mount,
    async send(message) {
      const reference = conversationReference(message);
      let platformMessageId: string | undefined;
      try {
        await cloud.continueConversationAsync(cfg.appId ?? '', reference, async (ctx) => {
          const sent = await ctx.sendActivity(toActivity(message));
          platformMessageId = sent?.id;
        });
      } catch (err) {
        throw sendError(err);
      }
      return { platformMessageId };
    },
  };
}

/** Registry entry: on when MICROSOFT_APP_ID or MICROSOFT_APP_PASSWORD is set. */
export const botFrameworkAdapter: AdapterFactory = (deps) => {
  const cfg = deps.config.channels.botframework;
  return cfg ? createBotFrameworkAdapter(cfg, deps) : undefined;
};
