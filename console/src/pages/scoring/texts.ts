/**
 * The scoring rules page's texts in Spanish and English, kept beside the page like the studio's.
 * `useScoringT()` follows the console's language switch.
 */
import { pageTexts, type PageT } from '../../i18n/page-texts';

const en = {
  title: 'Lead scoring',
  intro:
    'Each lead scores the sum of the points of the rules it matches (0–100). Saving rescores every lead in the background.',
  editor: 'Scoring rules (YAML)',
  version: 'Version {version}',
  updated: 'saved {when} by {who}',
  updatedAt: 'saved {when}',
  save: 'Save rules',
  saved: 'Rules saved: version {version}. Leads are being rescored.',
  reset: 'Discard changes',
  problems: 'The rules cannot be saved yet:',
  unsaved: 'Unsaved changes',
  readOnly: 'Only admins change the rules; you can read them.',
  readOnlyPreview:
    'Only admins change the rules; you can try changes on a lead below without saving them.',
  preview: 'Preview on a lead',
  previewHint:
    'Scores the chosen lead with the rules in the editor, saved or not. Nothing is changed.',
  lead: 'Lead',
  leadPlaceholder: 'Search by name or email',
  run: 'Preview',
  draftScore: 'With these rules',
  storedScore: 'Stored now',
  noReasons: 'No rule matches this lead.',
  noLeads: 'There are no leads yet.',
  points: '{points} pts',
};

export type ScoringKey = keyof typeof en;

const es: Record<ScoringKey, string> = {
  title: 'Puntuación de leads',
  intro:
    'Cada lead suma los puntos de las reglas que cumple (0–100). Al guardar, todos los leads se vuelven a puntuar en segundo plano.',
  editor: 'Reglas de puntuación (YAML)',
  version: 'Versión {version}',
  updated: 'guardada {when} por {who}',
  updatedAt: 'guardada {when}',
  save: 'Guardar reglas',
  saved: 'Reglas guardadas: versión {version}. Los leads se están volviendo a puntuar.',
  reset: 'Descartar cambios',
  problems: 'Aún no se pueden guardar las reglas:',
  unsaved: 'Cambios sin guardar',
  readOnly: 'Solo administración cambia las reglas; puedes leerlas.',
  readOnlyPreview:
    'Solo administración cambia las reglas; puedes probar cambios en un lead más abajo sin guardarlos.',
  preview: 'Previsualizar en un lead',
  previewHint:
    'Puntúa el lead elegido con las reglas del editor, guardadas o no. No se cambia nada.',
  lead: 'Lead',
  leadPlaceholder: 'Busca por nombre o email',
  run: 'Previsualizar',
  draftScore: 'Con estas reglas',
  storedScore: 'Guardada ahora',
  noReasons: 'Ninguna regla se cumple para este lead.',
  noLeads: 'Aún no hay leads.',
  points: '{points} pts',
};

export type ScoringT = PageT<ScoringKey>;

export const useScoringT = pageTexts<ScoringKey>(en, es);
