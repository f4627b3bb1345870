/**
 * The cases pages' texts in Spanish and English (beside the pages, like the studio's).
 * `useCasesT()` follows the console's language switch.
 */
import { pageTexts, type PageT } from '../../i18n/page-texts';

const en = {
  title: 'Cases',
  total: '{count} cases',
  totalOne: '1 case',
  table: 'Table',
  board: 'Board',
  view: 'View',
  empty: 'No cases yet.',
  emptyHint: 'Cases open when customers ask for support, a callback or a privacy request.',
  emptyFiltered: 'No cases match these filters.',
  emptyColumn: 'None',
  number: 'Number',
  case: 'Case',
  customer: 'Customer',
  subject: 'Subject',
  noSubject: '(no subject)',
  unnamed: 'Unnamed customer',
  status: 'Status',
  priority: 'Priority',
  sla: 'SLA',
  assignee: 'Assignee',
  unassigned: 'Unassigned',
  channel: 'Channel',
  type: 'Type',
  opened: 'Opened',
  open: 'Open case {number}',
  search: 'Case number',
  'status.open': 'Open',
  'status.pending': 'Pending',
  'status.resolved': 'Resolved',
  'status.closed': 'Closed',
  'priority.urgent': 'Urgent',
  'priority.high': 'High',
  'priority.normal': 'Normal',
  'priority.low': 'Low',
  'sla.ok': 'On track',
  'sla.at_risk': 'At risk',
  'sla.breached': 'Breached',
  'sla.left': '{time} left',
  'sla.over': '{time} over',
  'sla.met': 'Met',
  'sla.metLate': 'Met late',
  'type.support': 'Support',
  'type.privacy': 'Privacy',
  'type.callback': 'Callback',
  back: 'All cases',
  details: 'Case',
  description: 'Description',
  email: 'Email',
  phone: 'Phone',
  preferredTime: 'Preferred time',
  firstResponse: 'First response',
  resolution: 'Resolution',
  due: 'Due {date}',
  metAt: 'Met {date}',
  controls: 'Work on this case',
  save: 'Save changes',
  saved: 'Case updated.',
  resolvedNote: 'The customer is told on their channel and asked for a rating.',
  notes: 'Internal notes',
  notesHint: 'Only staff see notes; they are never sent to the customer.',
  noteLabel: 'New note',
  addNote: 'Add note',
  noNotes: 'No notes yet.',
  noteAdded: 'Note added.',
  conversation: 'Conversation',
  openConversation: 'Open the conversation',
  noConversation: 'This case has no conversation.',
  customerCard: 'Customer',
  openContact: 'Open the customer',
  timeline: 'Timeline',
  csat: 'Satisfaction',
  csatNone: 'Not asked yet',
  csatAsked: 'Asked {date}, no answer yet',
  csatRating: '{rating} out of 5',
  'event.opened': 'Case opened',
  'event.status': 'Status: {from} → {to}',
  'event.priority': 'Priority: {from} → {to}',
  'event.assignee': 'Assigned to {to}',
  'event.unassigned': 'Unassigned',
  'event.note': 'Note added',
  'event.sla_breached': 'SLA missed: {to}',
  'event.customer_notified': 'Customer told of the resolution ({to})',
  'event.csat': 'Customer rated {to} out of 5',
  by: 'by {name}',
  readOnly: 'You can read cases; agents and admins change them.',
  minutes: '{n} min',
  hours: '{n} h',
  days: '{n} d',
};

export type CasesKey = keyof typeof en;

const es: Record<CasesKey, string> = {
  title: 'Casos',
  total: '{count} casos',
  totalOne: '1 caso',
  table: 'Tabla',
  board: 'Tablero',
  view: 'Vista',
  empty: 'Todavía no hay casos.',
  emptyHint:
    'Los casos se abren cuando un cliente pide soporte, una llamada o un trámite de privacidad.',
  emptyFiltered: 'Ningún caso coincide con estos filtros.',
  emptyColumn: 'Ninguno',
  number: 'Número',
  case: 'Caso',
  customer: 'Cliente',
  subject: 'Asunto',
  noSubject: '(sin asunto)',
  unnamed: 'Cliente sin nombre',
  status: 'Estado',
  priority: 'Prioridad',
  sla: 'SLA',
  assignee: 'Responsable',
  unassigned: 'Sin asignar',
  channel: 'Canal',
  type: 'Tipo',
  opened: 'Abierto',
  open: 'Abrir el caso {number}',
  search: 'Número de caso',
  'status.open': 'Abierto',
  'status.pending': 'Pendiente',
  'status.resolved': 'Resuelto',
  'status.closed': 'Cerrado',
  'priority.urgent': 'Urgente',
  'priority.high': 'Alta',
  'priority.normal': 'Normal',
  'priority.low': 'Baja',
  'sla.ok': 'En plazo',
  'sla.at_risk': 'En riesgo',
  'sla.breached': 'Incumplido',
  'sla.left': 'quedan {time}',
  'sla.over': '{time} de retraso',
  'sla.met': 'Cumplido',
  'sla.metLate': 'Cumplido tarde',
  'type.support': 'Soporte',
  'type.privacy': 'Privacidad',
  'type.callback': 'Llamada',
  back: 'Todos los casos',
  details: 'Caso',
  description: 'Descripción',
  email: 'Correo',
  phone: 'Teléfono',
  preferredTime: 'Hora preferida',
  firstResponse: 'Primera respuesta',
  resolution: 'Resolución',
  due: 'Vence {date}',
  metAt: 'Cumplido {date}',
  controls: 'Gestionar el caso',
  save: 'Guardar cambios',
  saved: 'Caso actualizado.',
  resolvedNote: 'Se avisa al cliente en su canal y se le pide una valoración.',
  notes: 'Notas internas',
  notesHint: 'Solo las ve el equipo; nunca se envían al cliente.',
  noteLabel: 'Nueva nota',
  addNote: 'Añadir nota',
  noNotes: 'Todavía no hay notas.',
  noteAdded: 'Nota añadida.',
  conversation: 'Conversación',
  openConversation: 'Abrir la conversación',
  noConversation: 'Este caso no tiene conversación.',
  customerCard: 'Cliente',
  openContact: 'Abrir el cliente',
  timeline: 'Historial',
  csat: 'Satisfacción',
  csatNone: 'Aún no se ha preguntado',
  csatAsked: 'Preguntado el {date}, sin respuesta',
  csatRating: '{rating} de 5',
  'event.opened': 'Caso abierto',
  'event.status': 'Estado: {from} → {to}',
  'event.priority': 'Prioridad: {from} → {to}',
  'event.assignee': 'Asignado a {to}',
  'event.unassigned': 'Sin asignar',
  'event.note': 'Nota añadida',
  'event.sla_breached': 'SLA incumplido: {to}',
  'event.customer_notified': 'Cliente avisado de la resolución ({to})',
  'event.csat': 'El cliente valoró con {to} de 5',
  by: 'por {name}',
  readOnly: 'Puedes consultar los casos; los agentes y administradores los modifican.',
  minutes: '{n} min',
  hours: '{n} h',
  days: '{n} d',
};

export type CasesT = PageT<CasesKey>;

export const useCasesT = pageTexts<CasesKey>(en as Record<CasesKey, string>, es);

/** "3 h", "2 d", "45 min": a duration as the SLA badges show it. */
export function shortDuration(t: CasesT, ms: number): string {
  const minutes = Math.max(1, Math.round(Math.abs(ms) / 60_000));
  if (minutes < 60) return t('minutes', { n: minutes });
  const hours = Math.round(minutes / 60);
  if (hours < 48) return t('hours', { n: hours });
  return t('days', { n: Math.round(hours / 24) });
}

const TITLE_CHARS = 60;

/** A case's title: its subject, else the start of its description (cut at a word), else null. */
export function caseTitle(c: {
  subject: string | null;
  description: string | null;
}): string | null {
  if (c.subject?.trim()) return c.subject.trim();
  const text = c.description?.replace(/\s+/g, ' ').trim();
  if (!text) return null;
  if (text.length <= TITLE_CHARS) return text;
  const cut = text.slice(0, TITLE_CHARS);
  const space = cut.lastIndexOf(' ');
  return `${(space > TITLE_CHARS / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
