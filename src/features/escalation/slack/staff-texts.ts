/** What staff read in Slack, in the deployment's DEFAULT_LOCALE (staff share one workspace). */
import type { EscalationReason } from '../../../kernel/contracts/escalation.js';
import type { Locale } from '../../../kernel/contracts/messages.js';
import { escapeSlack } from '../../../kernel/escaping/slack.js';

const en = {
  reasons: {
    customer_request: 'asked for a person',
    fallback: 'the bot did not understand',
    flow: 'handed over by a flow step',
    admin: 'escalated by an admin',
    agent: 'taken over from the bot by staff',
  } satisfies Record<EscalationReason, string>,
  headerQueued: 'Customer waiting',
  headerAssigned: (who: string) => `Assigned to ${who}`,
  headerClosed: 'Closed — back with the bot',
  customer: 'Customer',
  channel: 'Channel',
  language: 'Language',
  reason: 'Reason',
  intents: 'Intents seen',
  lead: 'Lead',
  case: 'Case',
  none: '—',
  afterHours: 'arrived outside business hours (callback offered)',
  frustrated: '⚠️ Frustrated customer (two negative messages in a row): high priority',
  frustratedNote:
    '⚠️ The customer sounds frustrated (two negative messages in a row): high priority.',
  lastMessages: 'Last messages',
  noMessages: '(no messages)',
  who: { customer: 'Customer', bot: 'Bot', staff: 'Staff', system: 'Charla' } as Record<
    string,
    string
  >,
  conversation: 'Conversation',
  claim: 'Claim',
  close: 'Close',
  fallbackText: (customer: string, channel: string, reason: string) =>
    `Escalation: ${customer} on ${channel} (${reason})`,
  claimedBy: (who: string) => `✋ ${who} claimed this conversation.`,
  requeuedTo: (team: string) => `↩ Back in the queue, for the ${team} team.`,
  closedBy: (who: string) => `✅ ${who} closed this conversation; the bot answers again.`,
  closedForCallback: '📞 The customer asked for a callback; the bot took the conversation back.',
  admin: 'An admin',
  alreadyClaimed: (who: string) => `Already claimed by ${who}.`,
  notEscalated: 'This conversation is not waiting for staff any more.',
  onlyAssignee: (who: string) =>
    `Only ${who} (the assignee) can answer this customer. Start your line with \`note:\` for an internal note.`,
  notSent: 'Not sent: this conversation is back with the bot.',
  closeOnlyAssignee: (who: string) =>
    `Not closed: ${who} has claimed this conversation; only they or a Charla admin can close it.`,
  staffChannelOnly: '`/charla` only works in the staff escalation channel.',
  deliveryFailed:
    '⚠️ A staff reply could not be delivered to the customer (their channel refused it). See the conversation in the admin API.',
  noteStored: 'Internal note saved (not sent to the customer).',
  customerSays: 'Customer',
  consoleReply: (who: string, text: string) => `💬 *${who}* (console): ${text}`,
  consoleNote: (who: string, text: string) => `📝 *${who}* (console, internal note): ${text}`,
  attachment: 'attachment',
  reping: (minutes: number) =>
    `⏰ <!here> A customer has been waiting for ${minutes} min. Claim it above.`,
  queueEmpty: 'No conversations are waiting. 🎉',
  queueTitle: (n: number) => `*${n} waiting:*`,
  queueLine: (customer: string, channel: string, minutes: number, reason: string, id: string) =>
    `• ${customer} on ${channel}, waiting ${minutes} min (${reason}) — \`${id}\``,
  assignedCount: (n: number) => `${n} assigned to staff right now.`,
  leadNotFound: (email: string) => `No lead with the email ${email}.`,
  leadUsage: 'Usage: `/charla lead <email>`',
  leadFields: {
    name: 'Name',
    email: 'Email',
    phone: 'Phone',
    company: 'Company',
    interest: 'Interest',
    status: 'Status',
    score: 'Score',
    channel: 'Channel',
    created: 'Created',
  },
  closeUsage:
    'Usage: `/charla close <conversation id or case number>` (Slack does not tell slash commands which thread they were typed in). Inside an item thread you can also write `!close`.',
  closeNotFound: (ref: string) => `No waiting or assigned conversation matches ${ref}.`,
  closedOk: 'Closed: the customer is back with the bot.',
  help: [
    '`/charla queue` — conversations waiting for staff',
    '`/charla lead <email>` — show a lead',
    '`/charla close <conversation id or case number>` — hand a conversation back to the bot',
    'In an item thread: reply to answer the customer, start with `note:` for an internal note, `!close` to close.',
  ].join('\n'),
};

const es: typeof en = {
  reasons: {
    customer_request: 'pidió hablar con una persona',
    fallback: 'el bot no le entendió',
    flow: 'derivado por un paso de un flujo',
    admin: 'escalado por un administrador',
    agent: 'el equipo la tomó del bot',
  },
  headerQueued: 'Cliente esperando',
  headerAssigned: (who) => `Asignado a ${who}`,
  headerClosed: 'Cerrado — de vuelta con el bot',
  customer: 'Cliente',
  channel: 'Canal',
  language: 'Idioma',
  reason: 'Motivo',
  intents: 'Intenciones',
  lead: 'Lead',
  case: 'Caso',
  none: '—',
  afterHours: 'llegó fuera de horario (se ofreció llamada)',
  frustrated: '⚠️ Cliente frustrado (dos mensajes negativos seguidos): prioridad alta',
  frustratedNote:
    '⚠️ El cliente parece frustrado (dos mensajes negativos seguidos): prioridad alta.',
  lastMessages: 'Últimos mensajes',
  noMessages: '(sin mensajes)',
  who: { customer: 'Cliente', bot: 'Bot', staff: 'Equipo', system: 'Charla' },
  conversation: 'Conversación',
  claim: 'Atender',
  close: 'Cerrar',
  fallbackText: (customer, channel, reason) => `Escalado: ${customer} en ${channel} (${reason})`,
  claimedBy: (who) => `✋ ${who} atiende esta conversación.`,
  requeuedTo: (team) => `↩ Vuelve a la cola, para el equipo ${team}.`,
  closedBy: (who) => `✅ ${who} cerró esta conversación; el bot vuelve a responder.`,
  closedForCallback: '📞 El cliente pidió que le llamen; el bot retoma la conversación.',
  admin: 'Un administrador',
  alreadyClaimed: (who) => `Ya la atiende ${who}.`,
  notEscalated: 'Esta conversación ya no está esperando al equipo.',
  onlyAssignee: (who) =>
    `Solo ${who} (quien la atiende) puede responder a este cliente. Empieza con \`note:\` para una nota interna.`,
  notSent: 'No enviado: esta conversación ha vuelto al bot.',
  closeOnlyAssignee: (who) =>
    `No se ha cerrado: ${who} atiende esta conversación; solo esa persona o un administrador de Charla puede cerrarla.`,
  staffChannelOnly: '`/charla` solo funciona en el canal de escalados del equipo.',
  deliveryFailed:
    '⚠️ Una respuesta del equipo no se pudo entregar al cliente (su canal la rechazó). Consulta la conversación en la API de administración.',
  noteStored: 'Nota interna guardada (no se envía al cliente).',
  customerSays: 'Cliente',
  consoleReply: (who, text) => `💬 *${who}* (consola): ${text}`,
  consoleNote: (who, text) => `📝 *${who}* (consola, nota interna): ${text}`,
  attachment: 'adjunto',
  reping: (minutes) => `⏰ <!here> Un cliente lleva ${minutes} min esperando. Atiéndelo arriba.`,
  queueEmpty: 'No hay conversaciones esperando. 🎉',
  queueTitle: (n) => `*${n} esperando:*`,
  queueLine: (customer, channel, minutes, reason, id) =>
    `• ${customer} en ${channel}, espera ${minutes} min (${reason}) — \`${id}\``,
  assignedCount: (n) => `${n} asignadas al equipo ahora mismo.`,
  leadNotFound: (email) => `No hay ningún lead con el email ${email}.`,
  leadUsage: 'Uso: `/charla lead <email>`',
  leadFields: {
    name: 'Nombre',
    email: 'Email',
    phone: 'Teléfono',
    company: 'Empresa',
    interest: 'Interés',
    status: 'Estado',
    score: 'Puntuación',
    channel: 'Canal',
    created: 'Creado',
  },
  closeUsage:
    'Uso: `/charla close <id de conversación o número de caso>` (Slack no indica a los comandos en qué hilo se escribieron). Dentro del hilo de un elemento también puedes escribir `!close`.',
  closeNotFound: (ref) => `Ninguna conversación en espera o asignada coincide con ${ref}.`,
  closedOk: 'Cerrada: el cliente vuelve con el bot.',
  help: [
    '`/charla queue` — conversaciones esperando al equipo',
    '`/charla lead <email>` — ver un lead',
    '`/charla close <id de conversación o número de caso>` — devolver una conversación al bot',
    'En el hilo de un elemento: responde para contestar al cliente, empieza con `note:` para una nota interna, `!close` para cerrar.',
  ].join('\n'),
};

export type StaffTexts = typeof en;
export const staffTexts = (locale: Locale): StaffTexts => (locale === 'es' ? es : en);

/** Escapes text for Slack mrkdwn so customer input cannot mention people or forge links. */
export const slackEscape = escapeSlack;

/** Slack mrkdwn from a staff member → plain text for the customer's channel. */
export function slackToPlain(text: string): string {
  return text
    .replace(/<(https?:[^|>]+)\|([^>]+)>/g, '$2 ($1)')
    .replace(/<(https?:[^>]+)>/g, '$1')
    .replace(/<mailto:([^|>]+)(?:\|[^>]+)?>/g, '$1')
    .replace(/<[@#!][^|>]*\|([^>]+)>/g, '$1')
    .replace(/<[@#!][^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .trim();
}
