/**
 * What one contact reads: the text in their language (else the other one), `{{contact.name}}`
 * filled (the canned replies' filling: a missing name is left out and the text tidied), links
 * rewritten through the click redirect, and the footer every marketing message carries saying
 * how to stop — a link in email, the STOP/BAJA keyword in chat.
 */
import type { Locale } from '../../kernel/contracts/messages.js';
import { fillVariables } from '../canned-replies/index.js';
import { clickUrl, unsubscribeUrl, URL_IN_TEXT, type LinkKeys } from './links.js';
import type { CampaignContent, CampaignMessage } from './schemas.js';

export interface Rendered {
  language: Locale;
  subject?: string;
  text: string;
  /** Email only: the one-click unsubscribe URL for List-Unsubscribe. */
  unsubscribeUrl?: string;
}

/** The content in `wanted`, else the other language (validation guarantees one exists). */
export function contentFor(
  message: CampaignMessage,
  wanted: Locale,
): { language: Locale; content: CampaignContent } {
  const other: Locale = wanted === 'es' ? 'en' : 'es';
  const content = message[wanted] ?? message[other];
  return { language: message[wanted] ? wanted : other, content: content! };
}

const FOOTER = {
  chat: {
    es: 'Para no recibir más mensajes como este, responde BAJA.',
    en: 'To stop messages like this, reply STOP.',
  },
  email: {
    es: 'Para no recibir más correos como este, date de baja aquí:',
    en: 'To stop emails like this, unsubscribe here:',
  },
} as const;

export interface RenderInput {
  content: CampaignContent;
  language: Locale;
  name: string | null;
  channel: 'email' | 'chat';
  keys: LinkKeys;
  contactId: string;
  campaignId: string | null;
  /** The campaign's links (campaignLinks): those rewritten through the click redirect. */
  trackLinks?: string[];
}

export function renderMessage(input: RenderInput): Rendered {
  const values = { 'contact.name': input.name, 'case.number': null, 'agent.name': null };
  const claims = { contactId: input.contactId, campaignId: input.campaignId };
  let text = fillVariables(input.content.text, values).text;
  const tracked = input.trackLinks;
  if (tracked?.length && input.campaignId) {
    text = text.replace(URL_IN_TEXT, (url) => {
      const link = tracked.indexOf(url);
      return link < 0 ? url : clickUrl(input.keys, { ...claims, link });
    });
  }
  const subject = input.content.subject
    ? fillVariables(input.content.subject, values).text
    : undefined;
  if (input.channel === 'chat') {
    return { language: input.language, text: `${text}\n\n${FOOTER.chat[input.language]}` };
  }
  const link = unsubscribeUrl(input.keys, claims);
  return {
    language: input.language,
    ...(subject ? { subject } : {}),
    text: `${text}\n\n--\n${FOOTER.email[input.language]} ${link}`,
    unsubscribeUrl: link,
  };
}
