/** The assignment controls' texts (presence in the header, assign on a conversation). */
import { pageTexts } from '../../i18n/page-texts';

const en = {
  presenceLabel: 'Your presence',
  available: 'Available',
  away: 'Away',
  presenceFailed: 'Could not change your presence: {message}',
  assignLabel: 'Assigned to',
  assignPlaceholder: 'Nobody (waiting)',
  colleagues: 'Colleagues',
  teams: 'Teams (back to their queue)',
  agentOption: '{name} · {presence} · {open} open',
  teamOption: 'Team {name}',
  assigned: 'Conversation handed over.',
  assignFailed: 'Could not assign: {message}',
};

const es: typeof en = {
  presenceLabel: 'Tu disponibilidad',
  available: 'Disponible',
  away: 'Ausente',
  presenceFailed: 'No se pudo cambiar tu disponibilidad: {message}',
  assignLabel: 'Asignada a',
  assignPlaceholder: 'Nadie (en espera)',
  colleagues: 'Colegas',
  teams: 'Equipos (vuelve a su cola)',
  agentOption: '{name} · {presence} · {open} abiertas',
  teamOption: 'Equipo {name}',
  assigned: 'Conversación traspasada.',
  assignFailed: 'No se pudo asignar: {message}',
};

export const useAssignT = pageTexts(en, es);
