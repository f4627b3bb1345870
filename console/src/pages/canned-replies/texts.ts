/** Canned replies' texts (the page and the composer's `/` picker), in Spanish and English. */
import { pageTexts } from '../../i18n/page-texts';

const en = {
  title: 'Canned replies',
  intro:
    'Saved answers you insert by typing / in the reply box. Shared ones are for the whole team (admins change them); personal ones only you see.',
  add: 'New canned reply',
  edit: 'Edit canned reply',
  shortcut: 'Shortcut',
  shortcutHelp: 'What you type after /: letters, digits, - and _',
  titleLabel: 'Title',
  text: 'Text',
  textHelp: 'Variables: {{contact.name}}, {{case.number}}, {{agent.name}} — filled when inserted.',
  language: 'Language',
  scope: 'Who sees it',
  'scope.shared': 'Shared',
  'scope.personal': 'Personal',
  save: 'Save',
  cancel: 'Cancel',
  delete: 'Delete',
  deleteConfirm: 'Delete “{title}”?',
  saved: 'Canned reply saved',
  deleted: 'Canned reply deleted',
  failed: 'Could not save: {message}',
  empty: 'No canned replies yet.',
  emptyHint: 'Add one here, then type / in a reply to insert it.',
  readOnly: 'Shared: only admins change it',
  search: 'Search canned replies',
  all: 'All',
  pickerLabel: 'Canned replies',
  pickerEmpty: 'No canned reply matches “{q}”',
  pickerHint: '↑↓ to choose, Enter to insert, Esc to close',
  missing: 'Left out (no value here): {names}',
  'var.contact.name': 'customer name',
  'var.case.number': 'case number',
  'var.agent.name': 'your name',
};

type Key = keyof typeof en;

const es: Record<Key, string> = {
  title: 'Respuestas guardadas',
  intro:
    'Respuestas que insertas escribiendo / en el cuadro de respuesta. Las compartidas son de todo el equipo (las cambian los administradores); las personales solo las ves tú.',
  add: 'Nueva respuesta guardada',
  edit: 'Editar respuesta guardada',
  shortcut: 'Atajo',
  shortcutHelp: 'Lo que escribes tras /: letras, números, - y _',
  titleLabel: 'Título',
  text: 'Texto',
  textHelp:
    'Variables: {{contact.name}}, {{case.number}}, {{agent.name}} — se rellenan al insertar.',
  language: 'Idioma',
  scope: 'Quién la ve',
  'scope.shared': 'Compartida',
  'scope.personal': 'Personal',
  save: 'Guardar',
  cancel: 'Cancelar',
  delete: 'Eliminar',
  deleteConfirm: '¿Eliminar «{title}»?',
  saved: 'Respuesta guardada',
  deleted: 'Respuesta eliminada',
  failed: 'No se pudo guardar: {message}',
  empty: 'Aún no hay respuestas guardadas.',
  emptyHint: 'Añade una aquí y escribe / en una respuesta para insertarla.',
  readOnly: 'Compartida: solo la cambian los administradores',
  search: 'Buscar respuestas guardadas',
  all: 'Todas',
  pickerLabel: 'Respuestas guardadas',
  pickerEmpty: 'Ninguna respuesta coincide con «{q}»',
  pickerHint: '↑↓ para elegir, Intro para insertar, Esc para cerrar',
  missing: 'Se omitió (sin dato aquí): {names}',
  'var.contact.name': 'nombre del cliente',
  'var.case.number': 'número de caso',
  'var.agent.name': 'tu nombre',
};

export const useCannedT = pageTexts<Key>(en, es);
