/** Reply anywhere's texts: the take-over hints and why a channel refuses, in Spanish and English. */
import { isApiError } from '../../api/client';
import { pageTexts, type PageT } from '../../i18n/page-texts';

const en = {
  takeOver: 'Take over',
  takeOverHint: 'Sending takes this conversation over from the bot; closing hands it back.',
  takeOverQueuedHint: 'Sending claims this conversation for you.',
  taken: 'The conversation is yours now',
  caseReply: 'Reply to the customer',
  caseReplyHint:
    'Sent in the case’s conversation; it becomes yours (the bot stops until you close it).',
  caseReplyOther: '{name} is answering this conversation.',
  sent: 'Sent to the customer',
  'refusal.outside_window':
    'WhatsApp only takes a free-form message within 24 hours of the customer’s last message. It can be sent once they write again.',
  'refusal.session_gone':
    'The visitor’s web chat session no longer exists: they cannot be reached there.',
  'refusal.channel_not_supported':
    'This channel does not let a business write first: answer when the customer writes.',
  'refusal.channel_off': 'This channel is not connected to Charla.',
  'refusal.no_conversation_on_channel': 'The customer has never written on this channel.',
  'refusal.already_assigned': 'Someone else is already answering: {message}',
  failed: 'Not sent: {message}',
  'write.open': 'Write to this contact',
  'write.title': 'Write to this contact',
  'write.hint':
    'Pick a channel the customer has used. The conversation becomes yours (the bot stops until you close it).',
  'write.channel': 'Channel',
  'write.canWrite': 'You can write now.',
  'write.windowUntil': 'You can write until {date}.',
  'write.outsideWindowSince':
    'WhatsApp only takes a free-form message within 24 hours of the customer’s last message ({date}). It can be sent once they write again.',
  'write.noChannels':
    'This customer has not written on any channel yet: there is nowhere to write to them.',
  'write.nowhere': 'None of this customer’s channels takes a message from you now.',
  'write.message': 'Message',
  'write.cancel': 'Cancel',
  'write.send': 'Send',
};
type Key = keyof typeof en;

const es: Record<Key, string> = {
  takeOver: 'Tomar conversación',
  takeOverHint: 'Al enviar tomas esta conversación del bot; al cerrarla vuelve al bot.',
  takeOverQueuedHint: 'Al enviar te asignas esta conversación.',
  taken: 'Ahora la conversación es tuya',
  caseReply: 'Responder al cliente',
  caseReplyHint:
    'Se envía en la conversación del caso; pasa a ser tuya (el bot se detiene hasta que la cierres).',
  caseReplyOther: '{name} está atendiendo esta conversación.',
  sent: 'Enviado al cliente',
  'refusal.outside_window':
    'WhatsApp solo admite un mensaje libre en las 24 horas siguientes al último mensaje del cliente. Podrás enviarlo cuando vuelva a escribir.',
  'refusal.session_gone':
    'La sesión de chat web del visitante ya no existe: no se le puede escribir ahí.',
  'refusal.channel_not_supported':
    'Este canal no permite que una empresa escriba primero: responde cuando escriba el cliente.',
  'refusal.channel_off': 'Este canal no está conectado a Charla.',
  'refusal.no_conversation_on_channel': 'El cliente nunca ha escrito por este canal.',
  'refusal.already_assigned': 'Otra persona ya la atiende: {message}',
  failed: 'No se envió: {message}',
  'write.open': 'Escribir a este contacto',
  'write.title': 'Escribir a este contacto',
  'write.hint':
    'Elige un canal que el cliente haya usado. La conversación pasa a ser tuya (el bot se detiene hasta que la cierres).',
  'write.channel': 'Canal',
  'write.canWrite': 'Puedes escribir ahora.',
  'write.windowUntil': 'Puedes escribir hasta el {date}.',
  'write.outsideWindowSince':
    'WhatsApp solo admite un mensaje libre en las 24 horas siguientes al último mensaje del cliente ({date}). Podrás enviarlo cuando vuelva a escribir.',
  'write.noChannels': 'Este cliente aún no ha escrito por ningún canal: no hay dónde escribirle.',
  'write.nowhere': 'Ninguno de los canales de este cliente admite ahora un mensaje tuyo.',
  'write.message': 'Mensaje',
  'write.cancel': 'Cancelar',
  'write.send': 'Enviar',
};

export const useOutreachT = pageTexts<Key>(en, es);

const REFUSALS = [
  'outside_window',
  'session_gone',
  'channel_not_supported',
  'channel_off',
  'no_conversation_on_channel',
  'already_assigned',
] as const;

/** A refusal code (from an error or a channel's reach) in the console's language, else `message`. */
export function refusalCodeText(t: PageT<Key>, code: string, message: string): string {
  return (REFUSALS as readonly string[]).includes(code)
    ? t(`refusal.${code as (typeof REFUSALS)[number]}`, { message })
    : message;
}

/** A refused take-over or outreach in the console's language (else the server's message). */
export function refusalText(t: PageT<Key>, err: unknown): string {
  if (isApiError(err) && (REFUSALS as readonly string[]).includes(err.code)) {
    return refusalCodeText(t, err.code, err.message);
  }
  return t('failed', { message: err instanceof Error ? err.message : String(err) });
}
