/**
 * The webhooks page's texts in Spanish and English, kept beside the page like the studio's.
 * `useWebhookT()` follows the console's language switch.
 */
import { useI18n } from '../../i18n/i18n';

const en = {
  title: 'Webhooks',
  intro:
    'Charla sends a signed POST to each URL when the events it listens to happen: feed HubSpot, Salesforce or a spreadsheet.',
  new: 'New webhook',
  empty: 'No webhooks yet',
  emptyHint: 'Register a URL to receive leads, cases and escalations as they happen.',
  url: 'URL',
  urlHint: 'http:// or https://. Redirects are not followed.',
  urlInvalid: 'Enter an http:// or https:// URL.',
  description: 'Description',
  descriptionHint: 'Optional, e.g. “HubSpot leads”.',
  events: 'Events',
  eventsRequired: 'Choose at least one event.',
  active: 'Active',
  inactive: 'Paused',
  status: 'Status',
  lastDelivery: 'Last delivery',
  never: 'None yet',
  actions: 'Actions',
  edit: 'Edit',
  editTitle: 'Edit webhook',
  save: 'Save',
  create: 'Create',
  cancel: 'Cancel',
  saved: 'Webhook saved.',
  delete: 'Delete',
  deleteTitle: 'Delete webhook',
  deleteConfirm: 'Delete the webhook for {url}? Its delivery log is deleted too.',
  deleted: 'Webhook deleted.',
  test: 'Send test',
  testSent: 'Test ping queued: see the delivery log.',
  log: 'Delivery log',
  hideLog: 'Hide log',
  logTitle: 'Deliveries to {url}',
  onlyFailed: 'Only failures',
  noDeliveries: 'No deliveries yet',
  noDeliveriesHint: 'Deliveries appear here when an event is sent. Try “Send test”.',
  noFailures: 'No failed deliveries',
  event: 'Event',
  attempts: 'Attempts',
  result: 'Result',
  when: 'When',
  nextAttempt: 'Next attempt {when}',
  retry: 'Retry',
  retried: 'Delivery queued again.',
  deliveryId: 'Delivery id',
  secretTitle: 'Signing secret',
  secretIntro:
    'Copy it now: it is shown only once. Your receiver checks X-Charla-Signature with it (see the README).',
  copy: 'Copy',
  copied: 'Copied',
  done: 'I have saved it',
  rotate: 'New secret',
  rotateConfirm: 'Make a new signing secret? The old one stops working at once.',
  'status.pending': 'Pending',
  'status.retrying': 'Retrying',
  'status.delivered': 'Delivered',
  'status.failed': 'Failed',
  'event.lead.created': 'Lead created',
  'event.lead.updated': 'Lead updated',
  'event.case.created': 'Case created',
  'event.case.updated': 'Case updated',
  'event.conversation.escalated': 'Conversation escalated',
  'event.ping': 'Test ping',
};

export type WebhookKey = keyof typeof en;

const es: Record<WebhookKey, string> = {
  title: 'Webhooks',
  intro:
    'Charla envía un POST firmado a cada URL cuando ocurren los eventos que escucha: alimenta HubSpot, Salesforce o una hoja de cálculo.',
  new: 'Nuevo webhook',
  empty: 'Aún no hay webhooks',
  emptyHint: 'Registra una URL para recibir leads, casos y derivaciones en cuanto ocurren.',
  url: 'URL',
  urlHint: 'http:// o https://. No se siguen redirecciones.',
  urlInvalid: 'Escribe una URL http:// o https://.',
  description: 'Descripción',
  descriptionHint: 'Opcional, p. ej. «Leads a HubSpot».',
  events: 'Eventos',
  eventsRequired: 'Elige al menos un evento.',
  active: 'Activo',
  inactive: 'En pausa',
  status: 'Estado',
  lastDelivery: 'Último envío',
  never: 'Ninguno aún',
  actions: 'Acciones',
  edit: 'Editar',
  editTitle: 'Editar webhook',
  save: 'Guardar',
  create: 'Crear',
  cancel: 'Cancelar',
  saved: 'Webhook guardado.',
  delete: 'Eliminar',
  deleteTitle: 'Eliminar webhook',
  deleteConfirm: '¿Eliminar el webhook de {url}? También se borra su registro de envíos.',
  deleted: 'Webhook eliminado.',
  test: 'Enviar prueba',
  testSent: 'Prueba en cola: mira el registro de envíos.',
  log: 'Registro de envíos',
  hideLog: 'Ocultar registro',
  logTitle: 'Envíos a {url}',
  onlyFailed: 'Solo fallos',
  noDeliveries: 'Aún no hay envíos',
  noDeliveriesHint: 'Los envíos aparecen aquí cuando se manda un evento. Prueba «Enviar prueba».',
  noFailures: 'No hay envíos fallidos',
  event: 'Evento',
  attempts: 'Intentos',
  result: 'Resultado',
  when: 'Cuándo',
  nextAttempt: 'Próximo intento {when}',
  retry: 'Reintentar',
  retried: 'Envío puesto de nuevo en cola.',
  deliveryId: 'Id del envío',
  secretTitle: 'Secreto de firma',
  secretIntro:
    'Cópialo ahora: solo se muestra una vez. Tu receptor comprueba X-Charla-Signature con él (ver el README).',
  copy: 'Copiar',
  copied: 'Copiado',
  done: 'Ya lo he guardado',
  rotate: 'Nuevo secreto',
  rotateConfirm: '¿Crear un nuevo secreto de firma? El anterior deja de valer en el acto.',
  'status.pending': 'Pendiente',
  'status.retrying': 'Reintentando',
  'status.delivered': 'Entregado',
  'status.failed': 'Fallido',
  'event.lead.created': 'Lead creado',
  'event.lead.updated': 'Lead actualizado',
  'event.case.created': 'Caso creado',
  'event.case.updated': 'Caso actualizado',
  'event.conversation.escalated': 'Conversación derivada',
  'event.ping': 'Prueba',
};

const DICTIONARIES = { en: en as Record<WebhookKey, string>, es };

export type WebhookT = (key: WebhookKey, params?: Record<string, string | number>) => string;

export function useWebhookT(): WebhookT {
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

/** The label of an event name (unknown names shown as they are). */
export const eventLabel = (t: WebhookT, event: string): string =>
  `event.${event}` in en ? t(`event.${event}` as WebhookKey) : event;
