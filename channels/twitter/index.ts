/**
 * X (Twitter) DM adapter (twitter-api-v2). Inbound two ways, both idempotent on the DM event id:
 * Account Activity webhooks at GET/POST /webhooks/twitter (CRC challenge; POSTs verified by
 * x-twitter-webhooks-signature), and, for tiers without them, polling GET /2/dm_events every
 * TWITTER_DM_POLL_SECONDS (0 = off). Outbound: POST /2/dm_conversations/with/:id/messages.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type {
  AdapterDeps,
  AdapterFactory,
  ChannelAdapter,
  SendResult,
} from '../../src/kernel/contracts/channel-adapter.js';
import type { InboundMessage, OutboundMessage } from '../../src/kernel/contracts/messages.js';
import { forbidden, invalid, unauthenticated } from '../../src/kernel/errors.js';
import { createTwitterClient, ownUserIdFromToken } from './client.js';
import { dmText, toSendError, X_MAX_DM_TEXT } from './outbound.js';
import { createDmPoller, schedulePolling, type PollOutcome } from './polling.js';
import { rememberOffer, resolveAnswer } from './quick-replies.js';
import {
  activityPayload,
  crcResponse,
  inboundFromActivity,
  isCrcToken,
  SIGNATURE_HEADER,
  validSignature,
} from './webhook.js';

export const TWITTER_WEBHOOK_PATH = '/webhooks/twitter';

export interface TwitterAdapter extends ChannelAdapter {
  /** One DM poll now (tests, and operators via a script); polling must be configured or not. */
  pollOnce(): Promise<PollOutcome>;
}

export const createTwitterAdapter = ((deps: AdapterDeps): TwitterAdapter | undefined => {
  const config = deps.config.channels.twitter;
  if (!config) return undefined;
  const logger = deps.logger.child({ channel: 'twitter' });
  const client = createTwitterClient(config);

  let ownId: string | undefined = ownUserIdFromToken(config.accessToken);
  const ownUserId = async (): Promise<string> => {
    if (!ownId) ownId = (await client.v2.me()).data.id;
    return ownId;
  };

  /** A numbered or titled answer to the last offered options becomes that option's payload. */
  async function ingest(message: InboundMessage) {
    const payload = await resolveAnswer(message.platformUserId, message.text);
    return deps.sink.ingest(payload === undefined ? message : { ...message, text: payload });
  }

  const poller = createDmPoller({ client, ownUserId, ingest, logger });
  let polling: { stop(): Promise<void> } | undefined;

  async function crc(req: FastifyRequest<{ Querystring: { crc_token?: unknown } }>) {
    const token = req.query.crc_token;
    if (typeof token !== 'string' || token === '') {
      throw invalid('missing_crc_token', 'The crc_token query parameter is required.');
    }
    // Signing any string would make this endpoint sign forged bodies (same key and format).
    if (!isCrcToken(token)) {
      throw invalid('invalid_crc_token', 'The crc_token is not a token X would send.');
    }
    return crcResponse(config!.consumerSecret, token);
  }

  async function activity(req: FastifyRequest, reply: FastifyReply) {
    const header = req.headers[SIGNATURE_HEADER];
    if (typeof header !== 'string' || header === '') {
      throw unauthenticated('unauthorized', 'The X webhook signature header is missing.');
    }
    if (!validSignature(config!.consumerSecret, req.rawBody ?? '', header)) {
      throw forbidden('forbidden', 'The X webhook signature is not valid.');
    }
    const parsed = activityPayload.safeParse(req.body);
    if (!parsed.success) {
      throw invalid('invalid_payload', 'The body is not an Account Activity event.');
    }
    const messages = inboundFromActivity(parsed.data);
    // Acknowledge only once every DM is stored and queued: an error is a 5xx and X redelivers.
    let duplicates = 0;
    for (const m of messages) if ((await ingest(m)).duplicate) duplicates += 1;
    return reply.status(200).send({
      result: messages.length === 0 ? 'ignored' : 'stored',
      stored: messages.length - duplicates,
      duplicates,
    });
  }

  return {
    id: 'twitter',
    capabilities: { buttons: false, media: false, typing: false, maxTextLength: X_MAX_DM_TEXT },

    mount(server) {
      server.get(TWITTER_WEBHOOK_PATH, crc);
      server.post(TWITTER_WEBHOOK_PATH, activity);
    },

    async start() {
      // Web-only instances serve webhooks; polling belongs with the workers.
      if (config.pollSeconds > 0 && deps.config.role !== 'web') {
        polling = schedulePolling(() => poller.pollOnce(), config.pollSeconds * 1000, logger);
      }
    },

    async stop() {
      await polling?.stop();
      polling = undefined;
    },

    pollOnce: () => poller.pollOnce(),

    async send(message: OutboundMessage): Promise<SendResult> {
      let result;
      try {
        result = await client.v2.sendDmToParticipant(message.platformConversationId, {
          text: dmText(message.text, message.quickReplies),
        });
      } catch (err) {
        throw toSendError(err);
      }
      // The DM is out: failing to remember the options must not make the worker send it again.
      await rememberOffer(message.platformConversationId, message.quickReplies).catch(
        (err: unknown) =>
          logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'offer not kept'),
      );
      return { platformMessageId: result.dm_event_id };
    },
  };
}) satisfies AdapterFactory;
