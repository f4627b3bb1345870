/**
 * The analytics page's texts in Spanish and English, beside the page. The definitions repeat
 * src/analytics/definitions.ts (and docs/console-api.md) in the staff's words.
 */
import { useI18n } from '../../i18n/i18n';

const en = {
  title: 'Analytics',
  intro:
    'Figures of the conversations that started in the chosen days (UTC), updated every minute.',
  from: 'From',
  to: 'To',
  channel: 'Channel',
  language: 'Language',
  all: 'All',
  es: 'Spanish',
  en: 'English',
  reset: 'Last 30 days',
  empty: 'No conversations in these days.',
  emptyHint: 'Try other dates, or clear the channel and language filters.',
  csv: 'Download CSV',
  csvOf: 'Download the data of “{chart}” as CSV',
  none: '—',
  seconds: '{value} s',
  minutes: '{value} min',
  'm.conversations': 'Conversations',
  'd.conversations': 'Conversations that started in these days.',
  'm.messagesIn': 'Messages in',
  'd.messagesIn': 'Messages customers sent.',
  'm.messagesOut': 'Messages out',
  'd.messagesOut': 'Bot and staff replies and notices sent to customers (staff notes left out).',
  'm.containmentRate': 'Contained',
  'd.containmentRate':
    'Conversations that ended (or go on) without a person, of all conversations.',
  'm.fallbackRate': 'Fallback rate',
  'd.fallbackRate':
    'Messages the bot read and found no intent for, of all it read (answers to its questions do not count).',
  'm.escalationRate': 'Escalated',
  'd.escalationRate':
    'Conversations that reached a person (queued for staff), of all conversations.',
  'm.medianQueueWaitSeconds': 'Median queue wait',
  'd.medianQueueWaitSeconds': 'Median time from queued to taken by a person.',
  'm.medianFirstStaffReplySeconds': 'Median first staff reply',
  'd.medianFirstStaffReplySeconds': 'Median time from queued to the first staff reply.',
  'm.leads': 'Leads',
  'd.leads': 'Leads captured in these conversations.',
  'm.qualifiedLeads': 'Qualified leads',
  'd.qualifiedLeads': 'Leads now qualified or won.',
  'm.wonLeads': 'Won leads',
  'd.wonLeads': 'Leads now won.',
  'm.cases': 'Cases',
  'd.cases': 'Cases opened in these conversations.',
  'm.casesResolved': 'Cases resolved',
  'd.casesResolved': 'Cases now resolved or closed.',
  'm.csatAverage': 'CSAT',
  'd.csatAverage': 'Average satisfaction rating (1–5) customers gave their cases.',
  'm.csatResponses': 'CSAT answers',
  'd.csatResponses': 'How many customers rated their case.',
  'chart.volume': 'Conversations and messages',
  'chart.rates': 'Containment, fallback and escalation',
  'chart.funnel': 'Funnel: conversation → lead → qualified → won',
  'chart.channels': 'By channel',
  'chart.languages': 'By language',
  'chart.intents': 'Top intents',
  'chart.unanswered': 'Top unanswered questions',
  'col.date': 'Date',
  'col.step': 'Step',
  'col.count': 'Count',
  'col.channel': 'Channel',
  'col.language': 'Language',
  'col.intent': 'Intent',
  'col.text': 'Question',
  interval: 'Interval',
  day: 'Day',
  week: 'Week',
  noUnanswered: 'The bot understood every question.',
};
export type AnalyticsKey = keyof typeof en;

const es: Record<AnalyticsKey, string> = {
  title: 'Analítica',
  intro:
    'Cifras de las conversaciones que empezaron en los días elegidos (UTC), actualizadas cada minuto.',
  from: 'Desde',
  to: 'Hasta',
  channel: 'Canal',
  language: 'Idioma',
  all: 'Todos',
  es: 'Español',
  en: 'Inglés',
  reset: 'Últimos 30 días',
  empty: 'No hay conversaciones en estos días.',
  emptyHint: 'Prueba con otras fechas o quita los filtros de canal e idioma.',
  csv: 'Descargar CSV',
  csvOf: 'Descargar los datos de «{chart}» en CSV',
  none: '—',
  seconds: '{value} s',
  minutes: '{value} min',
  'm.conversations': 'Conversaciones',
  'd.conversations': 'Conversaciones que empezaron en estos días.',
  'm.messagesIn': 'Mensajes recibidos',
  'd.messagesIn': 'Mensajes que enviaron los clientes.',
  'm.messagesOut': 'Mensajes enviados',
  'd.messagesOut':
    'Respuestas del bot y del equipo y avisos enviados a los clientes (sin las notas internas).',
  'm.containmentRate': 'Resueltas por el bot',
  'd.containmentRate':
    'Conversaciones que terminaron (o siguen) sin una persona, del total de conversaciones.',
  'm.fallbackRate': 'Sin entender',
  'd.fallbackRate':
    'Mensajes que el bot leyó sin encontrar intención, del total que leyó (las respuestas a sus preguntas no cuentan).',
  'm.escalationRate': 'Derivadas',
  'd.escalationRate':
    'Conversaciones que llegaron a una persona (en cola del equipo), del total de conversaciones.',
  'm.medianQueueWaitSeconds': 'Espera mediana en cola',
  'd.medianQueueWaitSeconds': 'Tiempo mediano desde la cola hasta que una persona la toma.',
  'm.medianFirstStaffReplySeconds': 'Primera respuesta mediana',
  'd.medianFirstStaffReplySeconds':
    'Tiempo mediano desde la cola hasta la primera respuesta del equipo.',
  'm.leads': 'Leads',
  'd.leads': 'Leads captados en estas conversaciones.',
  'm.qualifiedLeads': 'Leads cualificados',
  'd.qualifiedLeads': 'Leads que ahora están cualificados o ganados.',
  'm.wonLeads': 'Leads ganados',
  'd.wonLeads': 'Leads que ahora están ganados.',
  'm.cases': 'Casos',
  'd.cases': 'Casos abiertos en estas conversaciones.',
  'm.casesResolved': 'Casos resueltos',
  'd.casesResolved': 'Casos que ahora están resueltos o cerrados.',
  'm.csatAverage': 'CSAT',
  'd.csatAverage': 'Valoración media (1–5) que los clientes dieron a sus casos.',
  'm.csatResponses': 'Valoraciones',
  'd.csatResponses': 'Cuántos clientes valoraron su caso.',
  'chart.volume': 'Conversaciones y mensajes',
  'chart.rates': 'Resueltas por el bot, sin entender y derivadas',
  'chart.funnel': 'Embudo: conversación → lead → cualificado → ganado',
  'chart.channels': 'Por canal',
  'chart.languages': 'Por idioma',
  'chart.intents': 'Intenciones más frecuentes',
  'chart.unanswered': 'Preguntas sin respuesta más frecuentes',
  'col.date': 'Fecha',
  'col.step': 'Paso',
  'col.count': 'Cantidad',
  'col.channel': 'Canal',
  'col.language': 'Idioma',
  'col.intent': 'Intención',
  'col.text': 'Pregunta',
  interval: 'Intervalo',
  day: 'Día',
  week: 'Semana',
  noUnanswered: 'El bot entendió todas las preguntas.',
};

const DICTIONARIES = { en: en as Record<AnalyticsKey, string>, es };

export type AnalyticsT = (key: AnalyticsKey, params?: Record<string, string | number>) => string;

export function useAnalyticsT(): AnalyticsT {
  const { language } = useI18n();
  return (key, params) => {
    const text = DICTIONARIES[language][key] ?? en[key];
    return params
      ? text.replace(/\{(\w+)\}/g, (whole, name: string) =>
          name in params ? String(params[name]) : whole,
        )
      : text;
  };
}
