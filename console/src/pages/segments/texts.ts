/**
 * The segments page's texts in Spanish and English, kept beside the page like the studio's.
 * `useSegmentsT()` follows the console's language switch.
 */
import { useI18n } from '../../i18n/i18n';

const en = {
  title: 'Segments',
  intro:
    'Saved filters over leads and their contacts. Counts are live: they are computed when you look.',
  new: 'New segment',
  empty: 'No segments yet',
  emptyHint:
    'Save a filter (language, consent, score, tags…) to reuse it in the pipeline and in exports.',
  name: 'Name',
  description: 'Description',
  leads: 'Leads',
  criteria: 'Criteria',
  actions: 'Actions',
  anyLead: 'Every lead',
  edit: 'Edit',
  editTitle: 'Edit segment',
  newTitle: 'New segment',
  delete: 'Delete',
  deleteTitle: 'Delete segment',
  deleteConfirm: 'Delete the segment “{name}”? Its leads are not touched.',
  deleted: 'Segment deleted.',
  saved: 'Segment saved.',
  save: 'Save',
  cancel: 'Cancel',
  viewLeads: 'View leads',
  exportCsv: 'Export CSV',
  readOnly: 'You can look at segments; only marketers and admins change them.',
  liveCount: '{count} leads match now',
  liveCountOne: '1 lead matches now',
  counting: 'Counting…',
  nameRequired: 'Give the segment a name.',
  tags: 'Tags (all of them)',
  tagsHint: 'Type a tag and press Enter.',
  channels: 'Channels (any)',
  language: 'Language',
  consent: 'Marketing consent',
  'consent.granted': 'Granted',
  'consent.withheld': 'Not granted',
  scoreMin: 'Score from',
  scoreMax: 'Score up to',
  lastContactWithinDays: 'Last contact within (days)',
  lastContactFrom: 'Last contact from',
  lastContactTo: 'Last contact until',
  hasOpenCase: 'Open case',
  'hasOpenCase.true': 'Has an open case',
  'hasOpenCase.false': 'No open case',
  intents: 'Intents seen (any)',
  intentsHint: 'Intent names, e.g. pricing. Press Enter after each.',
  statuses: 'Statuses (any)',
  any: 'Any',
  'lang.es': 'Spanish',
  'lang.en': 'English',
  'status.new': 'New',
  'status.contacted': 'Contacted',
  'status.qualified': 'Qualified',
  'status.won': 'Won',
  'status.lost': 'Lost',
};

export type SegmentsKey = keyof typeof en;

const es: Record<SegmentsKey, string> = {
  title: 'Segmentos',
  intro:
    'Filtros guardados sobre leads y sus contactos. Los recuentos son en vivo: se calculan al mirarlos.',
  new: 'Nuevo segmento',
  empty: 'Aún no hay segmentos',
  emptyHint:
    'Guarda un filtro (idioma, consentimiento, puntuación, etiquetas…) para reutilizarlo en el embudo y en las exportaciones.',
  name: 'Nombre',
  description: 'Descripción',
  leads: 'Leads',
  criteria: 'Criterios',
  actions: 'Acciones',
  anyLead: 'Todos los leads',
  edit: 'Editar',
  editTitle: 'Editar segmento',
  newTitle: 'Nuevo segmento',
  delete: 'Eliminar',
  deleteTitle: 'Eliminar segmento',
  deleteConfirm: '¿Eliminar el segmento «{name}»? Sus leads no cambian.',
  deleted: 'Segmento eliminado.',
  saved: 'Segmento guardado.',
  save: 'Guardar',
  cancel: 'Cancelar',
  viewLeads: 'Ver leads',
  exportCsv: 'Exportar CSV',
  readOnly: 'Puedes consultar los segmentos; solo marketing y administración los cambian.',
  liveCount: '{count} leads coinciden ahora',
  liveCountOne: '1 lead coincide ahora',
  counting: 'Contando…',
  nameRequired: 'Ponle un nombre al segmento.',
  tags: 'Etiquetas (todas)',
  tagsHint: 'Escribe una etiqueta y pulsa Intro.',
  channels: 'Canales (cualquiera)',
  language: 'Idioma',
  consent: 'Consentimiento de marketing',
  'consent.granted': 'Concedido',
  'consent.withheld': 'No concedido',
  scoreMin: 'Puntuación desde',
  scoreMax: 'Puntuación hasta',
  lastContactWithinDays: 'Último contacto en los últimos (días)',
  lastContactFrom: 'Último contacto desde',
  lastContactTo: 'Último contacto hasta',
  hasOpenCase: 'Caso abierto',
  'hasOpenCase.true': 'Tiene un caso abierto',
  'hasOpenCase.false': 'Sin casos abiertos',
  intents: 'Intenciones vistas (cualquiera)',
  intentsHint: 'Nombres de intención, p. ej. pricing. Pulsa Intro tras cada una.',
  statuses: 'Estados (cualquiera)',
  any: 'Cualquiera',
  'lang.es': 'Español',
  'lang.en': 'Inglés',
  'status.new': 'Nuevo',
  'status.contacted': 'Contactado',
  'status.qualified': 'Cualificado',
  'status.won': 'Ganado',
  'status.lost': 'Perdido',
};

const DICTIONARIES = { en, es };

export type SegmentsT = (key: SegmentsKey, params?: Record<string, string | number>) => string;

export function useSegmentsT(): SegmentsT {
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
