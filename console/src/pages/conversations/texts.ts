/**
 * The inbox's own texts (conversation list views, the chat layout), in Spanish and English,
 * beside the pages like the cases' texts. `useInboxT()` follows the console's language switch.
 */
import { pageTexts, type PageT } from '../../i18n/page-texts';

const en = {
  visitor: 'Visitor',
  transcriptEmail: 'Email transcript to customer',
  transcriptSent: 'Transcript sent to {email}.',
  transcriptFailed: 'Transcript not sent: {message}',
  transcriptNoEmail: 'No email known for this customer.',
  customerSaid: 'Customer',
  tabReply: 'Reply',
  tabNote: 'Note',
  replyHint: 'Claim the conversation to answer the customer.',
  replyOther: '{name} is answering this conversation.',
  replyBot: 'The bot is handling this conversation.',
  replyClosed: 'This conversation is closed.',
  sendHint: 'Ctrl+Enter sends',
  details: 'Customer details',
  hideDetails: 'Hide customer details',
  'reason.customer_request': 'the customer asked for a person',
  'reason.fallback': 'the bot did not understand',
  'reason.flow': 'a flow handed it over',
  'reason.admin': 'staff escalated it',
  'reason.agent': 'staff took it over from the bot',
  'reason.closed': 'staff handed it back to the bot',
  'reason.callback': 'the customer asked to be called back',
  'reason.other': 'other ({reason})',
  byCustomer: 'the customer',
  by: 'by {name}',
  views: 'Views',
  'view.mine': 'Mine',
  'view.unassigned': 'Waiting',
  'view.open': 'All open',
  'view.closed': 'Closed',
  'view.all': 'All',
  channelView: 'Channel',
  anyChannel: 'All channels',
  waiting: 'Waiting {time}',
  waitingFor: 'Waiting',
  unread: 'New messages',
  notifyOn: 'Alerts on',
  notifyOff: 'Alerts off',
  notifyHelp:
    'A browser notification and a sound when a conversation starts waiting or a customer writes in one of yours.',
  notifyDenied: 'The browser blocks notifications for this site; the sound still plays.',
  notifyWaiting: 'A customer is waiting',
  notifyMine: 'New message from {name}',
  attention: '{n} conversations need someone',
  minutes: '{n} min',
  hours: '{n} h',
  days: '{n} d',
};

export type InboxKey = keyof typeof en;

const es: Record<InboxKey, string> = {
  visitor: 'Visitante',
  transcriptEmail: 'Enviar la conversación por correo',
  transcriptSent: 'Conversación enviada a {email}.',
  transcriptFailed: 'No se ha enviado la conversación: {message}',
  transcriptNoEmail: 'No conocemos el correo de este cliente.',
  customerSaid: 'Cliente',
  tabReply: 'Responder',
  tabNote: 'Nota',
  replyHint: 'Toma la conversación para responder al cliente.',
  replyOther: '{name} está atendiendo esta conversación.',
  replyBot: 'El bot está atendiendo esta conversación.',
  replyClosed: 'Esta conversación está cerrada.',
  sendHint: 'Ctrl+Intro envía',
  details: 'Datos del cliente',
  hideDetails: 'Ocultar datos del cliente',
  'reason.customer_request': 'el cliente pidió hablar con una persona',
  'reason.fallback': 'el bot no lo entendió',
  'reason.flow': 'un flujo la derivó',
  'reason.admin': 'la escaló el equipo',
  'reason.agent': 'el equipo la tomó del bot',
  'reason.closed': 'el equipo la devolvió al bot',
  'reason.callback': 'el cliente pidió que le llamen',
  'reason.other': 'otro ({reason})',
  byCustomer: 'el cliente',
  by: 'por {name}',
  views: 'Vistas',
  'view.mine': 'Mías',
  'view.unassigned': 'En espera',
  'view.open': 'Abiertas',
  'view.closed': 'Cerradas',
  'view.all': 'Todas',
  channelView: 'Canal',
  anyChannel: 'Todos los canales',
  waiting: 'Esperando {time}',
  waitingFor: 'Espera',
  unread: 'Mensajes nuevos',
  notifyOn: 'Avisos activados',
  notifyOff: 'Avisos desactivados',
  notifyHelp:
    'Una notificación del navegador y un sonido cuando una conversación pasa a esperar o un cliente escribe en una de las tuyas.',
  notifyDenied: 'El navegador bloquea las notificaciones de este sitio; el sonido sí suena.',
  notifyWaiting: 'Un cliente está esperando',
  notifyMine: 'Mensaje nuevo de {name}',
  attention: '{n} conversaciones necesitan a alguien',
  minutes: '{n} min',
  hours: '{n} h',
  days: '{n} d',
};

export type InboxT = PageT<InboxKey>;

export const useInboxT = pageTexts<InboxKey>(en, es);

/** "12 min", "3 h", "2 d": how long something has waited. */
export function waitDuration(t: InboxT, ms: number): string {
  const minutes = Math.max(1, Math.round(ms / 60_000));
  if (minutes < 60) return t('minutes', { n: minutes });
  const hours = Math.round(minutes / 60);
  if (hours < 48) return t('hours', { n: hours });
  return t('days', { n: Math.round(hours / 24) });
}

const REASONS = [
  'customer_request',
  'fallback',
  'flow',
  'admin',
  'agent',
  'closed',
  'callback',
] as const;

/** A status change's reason as a translated label (unknown reasons are named, not hidden). */
export function reasonLabel(t: InboxT, reason: string): string {
  return (REASONS as readonly string[]).includes(reason)
    ? t(`reason.${reason as (typeof REASONS)[number]}`)
    : t('reason.other', { reason });
}
