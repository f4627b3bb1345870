/**
 * X Account Activity webhooks: the CRC challenge, the x-twitter-webhooks-signature check and the
 * payload → InboundMessage mapping. Both are HMAC-SHA256 with the consumer secret, base64 — the
 * same key and format, so the CRC endpoint would sign any string it is given. It therefore signs
 * only tokens of the form X sends (short base64/alphanumeric strings), which no JSON body has.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { Attachment, InboundMessage } from '../../src/kernel/contracts/messages.js';

export const SIGNATURE_HEADER = 'x-twitter-webhooks-signature';

/** What a crc_token from X looks like: base64 or URL-safe base64, at most 128 characters. */
export const CRC_TOKEN_PATTERN = /^[A-Za-z0-9_\-=+/]{1,128}$/;

export const isCrcToken = (token: string): boolean => CRC_TOKEN_PATTERN.test(token);

const hmac = (consumerSecret: string, data: string): Buffer =>
  createHmac('sha256', consumerSecret).update(data, 'utf8').digest();

export function signature(consumerSecret: string, data: string): string {
  return `sha256=${hmac(consumerSecret, data).toString('base64')}`;
}

/**
 * The CRC answer X expects: {response_token: 'sha256=' + base64(HMAC(consumerSecret, crc_token))}.
 * Throws on a token that is not of X's form (the caller answers 400).
 */
export function crcResponse(consumerSecret: string, crcToken: string) {
  if (!isCrcToken(crcToken)) throw new RangeError('not a crc_token');
  return { response_token: signature(consumerSecret, crcToken) };
}

const SIGNATURE_FORMAT = /^sha256=([A-Za-z0-9+/]{43}=)$/;

/**
 * The header as X documents it: `sha256=` + base64(HMAC-SHA256(consumer secret, raw body)),
 * compared as digests in constant time. Anything else (other prefix, padding, length) fails.
 */
export function validSignature(consumerSecret: string, rawBody: string, header: string): boolean {
  const match = SIGNATURE_FORMAT.exec(header);
  if (!match) return false;
  const given = Buffer.from(match[1]!, 'base64');
  const expected = hmac(consumerSecret, rawBody);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const media = z.object({
  id_str: z.string().optional(),
  type: z.string().optional(),
  media_url_https: z.string().optional(),
});

const messageCreateEvent = z.object({
  type: z.literal('message_create'),
  id: z.string().min(1),
  created_timestamp: z.string().optional(),
  message_create: z.object({
    sender_id: z.string().min(1),
    target: z.object({ recipient_id: z.string().min(1) }),
    message_data: z.object({
      text: z.string().default(''),
      quick_reply_response: z.object({ metadata: z.string().optional() }).optional(),
      attachment: z.object({ type: z.string(), media: media.optional() }).optional(),
    }),
  }),
});

const dmEvent = z.union([messageCreateEvent, z.looseObject({ type: z.string() })]);

export const activityPayload = z.looseObject({
  for_user_id: z.string().min(1),
  direct_message_events: z.array(dmEvent).optional(),
  users: z
    .record(
      z.string(),
      z.looseObject({ name: z.string().optional(), screen_name: z.string().optional() }),
    )
    .optional(),
});
export type ActivityPayload = z.infer<typeof activityPayload>;

/** X reports photos, GIFs and videos as media; anything else is kept as a file. */
export function mediaKind(type: string | undefined): Attachment['kind'] {
  if (type === 'photo') return 'image';
  if (type === 'video' || type === 'animated_gif') return 'video';
  return 'file';
}

export const PLACEHOLDER: Record<Attachment['kind'], string> = {
  image: '[image]',
  audio: '[audio]',
  video: '[video]',
  file: '[file]',
  sticker: '[sticker]',
  location: '[location]',
  contact: '[contact]',
};

/**
 * Customer DMs in a payload, oldest first. Events the account itself sent (echoes of the bot's
 * replies) and non-DM activity are left out. Quick-reply metadata, when present, is the text.
 */
export function inboundFromActivity(payload: ActivityPayload): InboundMessage[] {
  const out: InboundMessage[] = [];
  for (const raw of payload.direct_message_events ?? []) {
    const parsed = messageCreateEvent.safeParse(raw);
    if (!parsed.success) continue;
    const ev = parsed.data;
    const sender = ev.message_create.sender_id;
    if (sender === payload.for_user_id) continue;
    const data = ev.message_create.message_data;
    const attachments: Attachment[] = [];
    let text = data.quick_reply_response?.metadata ?? data.text;
    const m = data.attachment?.media;
    if (m) {
      const kind = mediaKind(m.type);
      attachments.push({ kind, platformId: m.id_str, url: m.media_url_https });
      text = [PLACEHOLDER[kind], text].filter(Boolean).join(' ');
    }
    const user = payload.users?.[sender];
    const ts = Number(ev.created_timestamp);
    out.push({
      channel: 'twitter',
      platformMessageId: ev.id,
      platformUserId: sender,
      // Replies go to the participant (dm_conversations/with/:id), so the sender names the conversation.
      platformConversationId: sender,
      text,
      attachments: attachments.length > 0 ? attachments : undefined,
      senderName: user?.name ?? user?.screen_name,
      receivedAt: Number.isFinite(ts) && ts > 0 ? new Date(ts) : undefined,
      raw: ev,
    });
  }
  return out.sort((a, b) => (a.receivedAt?.getTime() ?? 0) - (b.receivedAt?.getTime() ?? 0));
}
