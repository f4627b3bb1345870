/**
 * Texts of the customer-insight and privacy pieces (engagement summary, sentiment, export and
 * erasure) in Spanish and English, beside the pages that show them. `useInsightT()` follows the
 * console's language switch.
 */
import { pageTexts, type PageT } from '../../i18n/page-texts';

const en = {
  engagement: 'Engagement',
  firstContact: 'First contact',
  lastContact: 'Last contact',
  conversations: 'Conversations',
  channelsUsed: 'Channels used',
  leads: 'Leads',
  cases: 'Cases',
  openCases: '{count} open',
  csat: 'Satisfaction (CSAT)',
  csatValue: '{average} / 5 from {count} answers',
  noCsat: 'No answers yet',
  sentiment: 'Sentiment',
  sentimentAverage: 'Average {score}',
  noSentiment: 'No messages scored yet',
  frustratedConversations: 'Frustrated conversations: {count}',
  frustrated: 'Frustrated',
  frustratedHint: 'Two negative messages in a row: high priority in the queue.',
  trendLabel: 'Sentiment of the last {count} customer messages, from {first} to {last}',
  trendTitle: 'Customer sentiment',
  trendHelp:
    'A rough reading of the wording (−1 negative … +1 positive), not a judgement of the customer.',
  'mood.positive': 'positive',
  'mood.neutral': 'neutral',
  'mood.negative': 'negative',
  latest: 'Latest: {score} ({mood})',
  privacy: 'Privacy',
  privacyHint: 'Right of access and right to erasure. Both are recorded in the audit log.',
  exportData: 'Export data',
  exporting: 'Preparing…',
  exported: 'Downloaded {file}.',
  exportCase: 'Data export',
  erase: 'Erase',
  eraseTitle: 'Erase this person',
  eraseWhat: 'This removes, for good:',
  'what.profile': 'Name, emails, phones, tags and channel identities',
  'what.messages': 'Conversations: {count} — the text and attachments of their messages',
  'what.leads': 'Leads: {count}, cases: {cases} — their details',
  'what.consent': 'Consent records and web chat sessions',
  eraseKeeps:
    'Counts stay for analytics (how many messages, conversations, leads and cases, dates, channels, intents and sentiment scores). It cannot be undone.',
  confirmLabel: 'To confirm, type {word} or the contact’s name',
  confirmLabelNoName: 'To confirm, type {word}',
  confirmWord: 'ERASE',
  eraseNow: 'Erase for good',
  cancel: 'Cancel',
  erasedDone: 'The person was erased.',
  erasedTitle: 'Erased contact',
  erasedAlert:
    'This person was erased on {date}. Nothing personal is kept: only counts for analytics remain.',
  failed: 'That did not work: {message}',
} as const;

export type InsightKey = keyof typeof en;

const es: Record<InsightKey, string> = {
  engagement: 'Relación con el cliente',
  firstContact: 'Primer contacto',
  lastContact: 'Último contacto',
  conversations: 'Conversaciones',
  channelsUsed: 'Canales usados',
  leads: 'Leads',
  cases: 'Casos',
  openCases: '{count} abiertos',
  csat: 'Satisfacción (CSAT)',
  csatValue: '{average} / 5 de {count} respuestas',
  noCsat: 'Sin respuestas todavía',
  sentiment: 'Sentimiento',
  sentimentAverage: 'Media {score}',
  noSentiment: 'Aún no hay mensajes puntuados',
  frustratedConversations: 'Conversaciones con frustración: {count}',
  frustrated: 'Frustrado',
  frustratedHint: 'Dos mensajes negativos seguidos: prioridad alta en la cola.',
  trendLabel: 'Sentimiento de los últimos {count} mensajes del cliente, de {first} a {last}',
  trendTitle: 'Sentimiento del cliente',
  trendHelp:
    'Una lectura aproximada de las palabras (−1 negativo … +1 positivo), no un juicio sobre el cliente.',
  'mood.positive': 'positivo',
  'mood.neutral': 'neutro',
  'mood.negative': 'negativo',
  latest: 'Último: {score} ({mood})',
  privacy: 'Privacidad',
  privacyHint:
    'Derecho de acceso y derecho de supresión. Ambos quedan en el registro de auditoría.',
  exportData: 'Exportar datos',
  exporting: 'Preparando…',
  exported: 'Descargado {file}.',
  exportCase: 'Exportación de datos',
  erase: 'Borrar',
  eraseTitle: 'Borrar a esta persona',
  eraseWhat: 'Esto elimina, para siempre:',
  'what.profile': 'Nombre, emails, teléfonos, etiquetas e identidades de canal',
  'what.messages': 'Conversaciones: {count} — el texto y los adjuntos de sus mensajes',
  'what.leads': 'Leads: {count}, casos: {cases} — sus datos',
  'what.consent': 'Registros de consentimiento y sesiones del chat web',
  eraseKeeps:
    'Los recuentos se mantienen para la analítica (cuántos mensajes, conversaciones, leads y casos, fechas, canales, intenciones y puntuaciones de sentimiento). No se puede deshacer.',
  confirmLabel: 'Para confirmar, escribe {word} o el nombre del contacto',
  confirmLabelNoName: 'Para confirmar, escribe {word}',
  confirmWord: 'BORRAR',
  eraseNow: 'Borrar para siempre',
  cancel: 'Cancelar',
  erasedDone: 'Se ha borrado a la persona.',
  erasedTitle: 'Contacto borrado',
  erasedAlert:
    'Esta persona se borró el {date}. No se guarda nada personal: solo quedan recuentos para la analítica.',
  failed: 'No ha funcionado: {message}',
};

export type InsightT = PageT<InsightKey>;

export const useInsightT = pageTexts<InsightKey>(en as Record<InsightKey, string>, es);
