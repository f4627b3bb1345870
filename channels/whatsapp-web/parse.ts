/** whatsapp-web.js messages → InboundMessage (text, media placeholders, locations, contact cards). */
import type { Attachment, InboundMessage } from '../../src/kernel/contracts/messages.js';
import { placeholderText } from '../../src/kernel/attachments.js';
import type { WhatsAppWebMessage } from './client.js';

const MEDIA: Record<string, Attachment['kind']> = {
  image: 'image',
  audio: 'audio',
  ptt: 'audio',
  video: 'video',
  document: 'file',
  sticker: 'sticker',
};

/** The name and first phone number of a vCard (`FN:` and `TEL...:` lines). */
function parseVCard(card: string): Attachment {
  const name = /^FN[^:]*:(.+)$/m.exec(card)?.[1]?.trim();
  const phone = /^(?:item\d+\.)?TEL[^:]*:(.+)$/m.exec(card)?.[1]?.trim();
  return { kind: 'contact', contactName: name, contactPhone: phone };
}

/** Why a message is not for the bot, or undefined when it is. */
export function ignoreReason(m: WhatsAppWebMessage): string | undefined {
  if (m.fromMe) return 'own';
  if (m.isStatus || m.broadcast || m.from === 'status@broadcast') return 'status';
  // The bot serves one-to-one chats; groups are people talking among themselves.
  if (m.from.endsWith('@g.us')) return 'group';
  return undefined;
}

/** Undefined for message types the bot does not handle (reactions, revokes, notifications, ...). */
export function toInbound(m: WhatsAppWebMessage): InboundMessage | undefined {
  let text = m.body ?? '';
  let attachments: Attachment[] | undefined;
  const mediaKind = MEDIA[m.type];
  if (m.type === 'chat') {
    if (!text.trim()) return undefined;
  } else if (mediaKind) {
    attachments = [
      {
        kind: mediaKind,
        platformId: m.id._serialized,
        mimeType: m._data?.mimetype,
        name: m._data?.filename,
      },
    ];
    // For media, `body` is the caption (or base64 thumbnail data for some types: not text).
    const caption = m.type === 'image' || m.type === 'video' || m.type === 'document' ? text : '';
    text = placeholderText(attachments, caption);
  } else if (m.type === 'location' && m.location) {
    attachments = [
      {
        kind: 'location',
        latitude: Number(m.location.latitude),
        longitude: Number(m.location.longitude),
        name: m.location.description?.split('\n')[0],
      },
    ];
    text = placeholderText(attachments);
  } else if ((m.type === 'vcard' || m.type === 'multi_vcard') && m.vCards?.length) {
    attachments = m.vCards.map(parseVCard);
    text = placeholderText(attachments);
  } else {
    return undefined;
  }
  // `<number>@c.us` carries the phone number; `@lid` ids are opaque.
  const phone = m.from.endsWith('@c.us') ? m.from.slice(0, -'@c.us'.length) : undefined;
  return {
    channel: 'whatsapp-web',
    platformMessageId: m.id._serialized,
    platformUserId: m.from,
    platformConversationId: m.from,
    senderPhone: phone,
    senderName: m._data?.notifyName,
    text,
    attachments,
    receivedAt: m.timestamp ? new Date(m.timestamp * 1000) : undefined,
  };
}
