/**
 * DM polling for X tiers without Account Activity webhooks: GET /2/dm_events every
 * TWITTER_DM_POLL_SECONDS, newest first, walking pages back to the persisted cursor, then ingesting
 * the new events oldest first and advancing the cursor after each one. Ingest's idempotency covers
 * any overlap (a crash between ingest and cursor update, or a webhook that delivered it too).
 * The first poll of an account only records where the inbox stands: old DMs are not answered.
 */
import type { Logger } from 'pino';
import { ApiResponseError, type TwitterApi } from 'twitter-api-v2';
import type { InboundMessage } from '../../src/kernel/contracts/messages.js';
import { TwitterDmCursor } from './cursor.model.js';
import { resetDelayMs } from './outbound.js';
import { mediaKind, PLACEHOLDER } from './webhook.js';

/** Pages walked per poll at most (100 events each); beyond that the oldest are left behind. */
const MAX_PAGES = 10;

/** Numeric-string ids (snowflakes) compared as numbers. */
export function isNewer(id: string, than: string | null | undefined): boolean {
  if (!than) return true;
  if (/^\d+$/.test(id) && /^\d+$/.test(than)) return BigInt(id) > BigInt(than);
  return id > than;
}

export interface DmPollerDeps {
  client: TwitterApi;
  ownUserId: () => Promise<string>;
  ingest: (message: InboundMessage) => Promise<unknown>;
  logger: Logger;
}

export interface PollOutcome {
  ingested: number;
  /** Set when X rate-limited the poll: milliseconds until the window resets. */
  retryAfterMs?: number;
}

/** The dm_event fields requested (see fetchPage). */
interface DmEvent {
  id: string;
  event_type?: string;
  text?: string;
  created_at?: string;
  sender_id?: string;
  dm_conversation_id?: string;
  attachments?: { media_keys?: string[] };
}

interface MediaInclude {
  media_key?: string;
  type?: string;
  url?: string;
}

function toInbound(ev: DmEvent, media: MediaInclude[]): InboundMessage {
  const sender = ev.sender_id ?? '';
  const attachments = (ev.attachments?.media_keys ?? []).map((key) => {
    const m = media.find((x) => x.media_key === key);
    return { kind: mediaKind(m?.type), platformId: key, url: m?.url };
  });
  const labels = attachments.map((a) => PLACEHOLDER[a.kind]);
  return {
    channel: 'twitter',
    platformMessageId: ev.id,
    platformUserId: sender,
    platformConversationId: sender,
    text: [...labels, ev.text ?? ''].filter(Boolean).join(' '),
    attachments: attachments.length > 0 ? attachments : undefined,
    receivedAt: ev.created_at ? new Date(ev.created_at) : undefined,
    raw: ev,
  };
}

export function createDmPoller(deps: DmPollerDeps) {
  const { client, logger } = deps;

  async function fetchPage(paginationToken?: string) {
    return client.v2.get<{
      data?: DmEvent[];
      includes?: { media?: MediaInclude[] };
      meta?: { next_token?: string; result_count?: number };
    }>('dm_events', {
      'dm_event.fields': 'id,text,event_type,created_at,sender_id,dm_conversation_id,attachments',
      event_types: 'MessageCreate',
      expansions: 'attachments.media_keys',
      'media.fields': 'media_key,type,url',
      max_results: 100,
      ...(paginationToken ? { pagination_token: paginationToken } : {}),
    });
  }

  /** One poll: fetch what is newer than the cursor and ingest it. */
  async function pollOnce(): Promise<PollOutcome> {
    const me = await deps.ownUserId();
    try {
      const cursor = await TwitterDmCursor.findById(me).lean();
      if (!cursor) {
        const first = await fetchPage();
        const newest = first.data?.[0]?.id ?? null;
        await TwitterDmCursor.updateOne(
          { _id: me },
          { $setOnInsert: { lastEventId: newest }, $set: { lastPolledAt: new Date() } },
          { upsert: true },
        );
        logger.info('DM polling started: earlier direct messages are not answered');
        return { ingested: 0 };
      }

      const fresh: Array<DmEvent> = [];
      const media: MediaInclude[] = [];
      let token: string | undefined;
      let reachedCursor = false;
      for (let page = 0; page < MAX_PAGES && !reachedCursor; page++) {
        const res = await fetchPage(token);
        media.push(...(res.includes?.media ?? []));
        for (const ev of res.data ?? []) {
          if (!isNewer(ev.id, cursor.lastEventId)) {
            reachedCursor = true;
            break;
          }
          if (ev.event_type === 'MessageCreate') fresh.push(ev);
        }
        token = res.meta?.next_token;
        if (!token) break;
        if (page === MAX_PAGES - 1 && !reachedCursor) {
          logger.warn(
            { pages: MAX_PAGES },
            'DM backlog larger than one poll reads; oldest skipped',
          );
        }
      }

      let ingested = 0;
      let newest = cursor.lastEventId;
      // Oldest first, so a conversation's messages reach the engine in order.
      fresh.sort((a, b) => (isNewer(a.id, b.id) ? 1 : -1));
      for (const ev of fresh) {
        if (ev.sender_id && ev.sender_id !== me) {
          await deps.ingest(toInbound(ev, media));
          ingested += 1;
        }
        newest = ev.id;
        await TwitterDmCursor.updateOne({ _id: me }, { $set: { lastEventId: newest } });
      }
      await TwitterDmCursor.updateOne({ _id: me }, { $set: { lastPolledAt: new Date() } });
      return { ingested };
    } catch (err) {
      if (err instanceof ApiResponseError && err.code === 429) {
        return { ingested: 0, retryAfterMs: resetDelayMs(err) };
      }
      throw err;
    }
  }

  return { pollOnce };
}

/** Runs `poll` every `intervalMs` until stopped; a failed poll is logged and retried next time. */
export function schedulePolling(
  poll: () => Promise<PollOutcome>,
  intervalMs: number,
  logger: Logger,
) {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;

  const tick = () => {
    running = poll()
      .then((outcome) => {
        if (outcome.retryAfterMs !== undefined) {
          logger.warn({ retryAfterMs: outcome.retryAfterMs }, 'DM polling rate-limited');
        }
        return Math.max(intervalMs, outcome.retryAfterMs ?? 0);
      })
      .catch((err: unknown) => {
        logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'DM poll failed');
        return intervalMs;
      })
      .then((delay) => {
        if (!stopped) timer = setTimeout(tick, delay);
      });
  };
  timer = setTimeout(tick, 0);

  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
