/**
 * WhatsApp Cloud API webhook payloads → InboundMessage, and `statuses` (sent, delivered, read,
 * failed, for our messages) → DeliveryReceipt. Other change fields are acknowledged and ignored.
 * Shape reference: https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/components
 */
import { z } from 'zod';
import type { DeliveryReceipt } from '../../src/kernel/contracts/channel-adapter.js';
import type { Attachment, InboundMessage } from '../../src/kernel/contracts/messages.js';
import { placeholderText } from '../../src/kernel/attachments.js';

const media = z.object({
  id: z.string(),
  mime_type: z.string().optional(),
  caption: z.string().optional(),
  filename: z.string().optional(),
});

const contactCard = z.object({
  name: z.object({ formatted_name: z.string().optional() }).partial().optional(),
  phones: z
    .array(z.object({ phone: z.string().optional(), wa_id: z.string().optional() }))
    .optional(),
});

const message = z.object({
  from: z.string().min(1),
  id: z.string().min(1),
  timestamp: z.string().optional(),
  type: z.string(),
  text: z.object({ body: z.string() }).optional(),
  interactive: z
    .object({
      type: z.string(),
      button_reply: z.object({ id: z.string(), title: z.string().optional() }).optional(),
      list_reply: z.object({ id: z.string(), title: z.string().optional() }).optional(),
    })
    .optional(),
  button: z.object({ payload: z.string().optional(), text: z.string().optional() }).optional(),
  image: media.optional(),
  audio: media.optional(),
  video: media.optional(),
  document: media.optional(),
  sticker: media.optional(),
  location: z
    .object({
      latitude: z.number(),
      longitude: z.number(),
      name: z.string().optional(),
      address: z.string().optional(),
    })
    .optional(),
  contacts: z.array(contactCard).optional(),
});
export type WhatsAppMessage = z.infer<typeof message>;

const change = z.object({
  field: z.string(),
  value: z
    .object({
      messaging_product: z.string().optional(),
      metadata: z
        .object({
          phone_number_id: z.string().optional(),
          display_phone_number: z.string().optional(),
        })
        .partial()
        .optional(),
      contacts: z
        .array(
          z.object({
            wa_id: z.string().optional(),
            profile: z.object({ name: z.string().optional() }).optional(),
          }),
        )
        .optional(),
      messages: z.array(z.unknown()).optional(),
      statuses: z.array(z.unknown()).optional(),
    })
    .passthrough(),
});

export const webhookSchema = z.object({
  object: z.string(),
  entry: z.array(z.object({ id: z.string().optional(), changes: z.array(change) })),
});
export type WhatsAppWebhook = z.infer<typeof webhookSchema>;

const MEDIA_KINDS = {
  image: 'image',
  audio: 'audio',
  video: 'video',
  document: 'file',
  sticker: 'sticker',
} as const;

/** Text and attachments of one message; undefined for types we do not handle (reactions, ...). */
function content(m: WhatsAppMessage): { text: string; attachments?: Attachment[] } | undefined {
  switch (m.type) {
    case 'text':
      return m.text ? { text: m.text.body } : undefined;
    case 'interactive': {
      // The payload (our quick reply's id) is what the engine expects back as text.
      const reply = m.interactive?.button_reply ?? m.interactive?.list_reply;
      return reply ? { text: reply.id } : undefined;
    }
    case 'button': {
      const payload = m.button?.payload ?? m.button?.text;
      return payload ? { text: payload } : undefined;
    }
    case 'image':
    case 'audio':
    case 'video':
    case 'document':
    case 'sticker': {
      const item = m[m.type];
      if (!item) return undefined;
      const attachment: Attachment = {
        kind: MEDIA_KINDS[m.type],
        platformId: item.id,
        mimeType: item.mime_type,
        name: item.filename,
      };
      return { text: placeholderText([attachment], item.caption), attachments: [attachment] };
    }
    case 'location': {
      if (!m.location) return undefined;
      const attachment: Attachment = {
        kind: 'location',
        latitude: m.location.latitude,
        longitude: m.location.longitude,
        name: m.location.name ?? m.location.address,
      };
      return { text: placeholderText([attachment]), attachments: [attachment] };
    }
    case 'contacts': {
      const attachments: Attachment[] = (m.contacts ?? []).map((c) => ({
        kind: 'contact',
        contactName: c.name?.formatted_name,
        contactPhone: c.phones?.[0]?.phone ?? c.phones?.[0]?.wa_id,
      }));
      if (attachments.length === 0) return undefined;
      return { text: placeholderText(attachments), attachments };
    }
    default:
      return undefined;
  }
}

const status = z.object({
  id: z.string().min(1),
  status: z.enum(['sent', 'delivered', 'read', 'failed']),
  timestamp: z.string().optional(),
  errors: z
    .array(
      z.object({
        code: z.number().optional(),
        title: z.string().optional(),
        message: z.string().optional(),
      }),
    )
    .optional(),
});

/** The statuses Meta reports for our messages sent from `phoneId` (others are not ours). */
export function parseStatuses(payload: WhatsAppWebhook, phoneId: string): DeliveryReceipt[] {
  const out: DeliveryReceipt[] = [];
  for (const entry of payload.entry) {
    for (const ch of entry.changes) {
      const target = ch.value.metadata?.phone_number_id;
      if (ch.field !== 'messages' || (target !== undefined && target !== phoneId)) continue;
      for (const raw of ch.value.statuses ?? []) {
        const parsed = status.safeParse(raw);
        if (!parsed.success) continue;
        const s = parsed.data;
        const seconds = s.timestamp ? Number(s.timestamp) : NaN;
        const error = s.errors?.[0];
        // The error's code and title only: its message can echo the customer's number.
        const reason = error
          ? `whatsapp ${error.code ?? ''} ${error.title ?? 'failed'}`.replace(/\s+/g, ' ').trim()
          : undefined;
        out.push({
          channel: 'whatsapp',
          platformMessageId: s.id,
          status: s.status,
          at: Number.isFinite(seconds) ? new Date(seconds * 1000) : new Date(),
          ...(s.status === 'failed' ? { reason: reason ?? 'whatsapp failed' } : {}),
        });
      }
    }
  }
  return out;
}

export interface ParsedWebhook {
  messages: InboundMessage[];
  /** Entries we acknowledge without storing (statuses, reactions, unsupported types, other numbers). */
  ignored: number;
}

/**
 * Extracts the customer messages addressed to `phoneId`. Changes for another phone number of the
 * same business account are ignored: that number's own deployment answers them.
 */
export function parseWebhook(payload: WhatsAppWebhook, phoneId: string): ParsedWebhook {
  const out: InboundMessage[] = [];
  let ignored = 0;
  for (const entry of payload.entry) {
    for (const ch of entry.changes) {
      const value = ch.value;
      const target = value.metadata?.phone_number_id;
      if (ch.field !== 'messages' || (target !== undefined && target !== phoneId)) {
        ignored += 1;
        continue;
      }
      for (const rawMessage of value.messages ?? []) {
        const parsed = message.safeParse(rawMessage);
        const body = parsed.success ? content(parsed.data) : undefined;
        if (!parsed.success || !body) {
          ignored += 1;
          continue;
        }
        const m = parsed.data;
        const profile = value.contacts?.find((c) => c.wa_id === m.from) ?? value.contacts?.[0];
        const seconds = m.timestamp ? Number(m.timestamp) : NaN;
        // The business number written to: its country helps read a national number (flows/regions.ts).
        const ours = value.metadata?.display_phone_number?.replace(/[^\d]/g, '');
        out.push({
          channel: 'whatsapp',
          platformMessageId: m.id,
          platformUserId: m.from,
          platformConversationId: m.from,
          senderPhone: m.from,
          senderName: profile?.profile?.name,
          text: body.text,
          attachments: body.attachments,
          receivedAt: Number.isFinite(seconds) ? new Date(seconds * 1000) : undefined,
          ...(ours ? { replyContext: { channelNumber: `+${ours}` } } : {}),
          raw: rawMessage,
        });
      }
    }
  }
  return { messages: out, ignored };
}
