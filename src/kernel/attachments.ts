/**
 * Readable stand-in text for messages that carry no text of their own (media, locations, shared
 * contacts), so staff and the conversation history show something meaningful. Shared by every
 * channel adapter, so a photo reads the same whichever platform it came from.
 */
import type { Attachment } from './contracts/messages.js';

const LABELS: Record<Attachment['kind'], string> = {
  image: 'image',
  audio: 'audio',
  video: 'video',
  file: 'file',
  sticker: 'sticker',
  location: 'location',
  contact: 'contact',
};

function describe(a: Attachment): string {
  switch (a.kind) {
    case 'location': {
      const where =
        a.latitude !== undefined && a.longitude !== undefined
          ? `${a.latitude}, ${a.longitude}`
          : '';
      return `[location${a.name ? `: ${a.name}` : ''}${where ? ` (${where})` : ''}]`;
    }
    case 'contact': {
      const who = [a.contactName, a.contactPhone].filter(Boolean).join(' ');
      return `[contact${who ? `: ${who}` : ''}]`;
    }
    case 'file':
      return `[file${a.name ? `: ${a.name}` : ''}]`;
    default:
      return `[${LABELS[a.kind]}]`;
  }
}

/** `caption` when the customer wrote one, after a bracketed description of each attachment. */
export function placeholderText(attachments: Attachment[], caption?: string): string {
  const described = attachments.map(describe).join(' ');
  const text = caption?.trim();
  return text ? `${described} ${text}` : described;
}
