/** What customers and the Slack staff channel read about cases, in Spanish and English. */
import type { Locale } from '../../kernel/contracts/messages.js';
import type { SlaKind } from '../../kernel/time/sla.js';

const CUSTOMER = {
  es: {
    resolved: (n: string) =>
      `Tu caso ${n} se ha resuelto. Si necesitas algo más, escríbenos aquí cuando quieras.`,
    askRating: '¿Qué tal te hemos atendido? Puntúanos de 1 (mal) a 5 (excelente).',
    thanks: (r: number) => `¡Gracias por tu valoración (${r} de 5)! Nos ayuda a mejorar.`,
  },
  en: {
    resolved: (n: string) =>
      `Your case ${n} has been resolved. If you need anything else, just write to us here.`,
    askRating: 'How did we do? Please rate us from 1 (poor) to 5 (excellent).',
    thanks: (r: number) => `Thank you for your rating (${r} out of 5)! It helps us improve.`,
  },
} as const;

export const caseCustomerTexts = (locale: Locale) => CUSTOMER[locale];

const STAFF = {
  es: {
    breach: (kind: SlaKind, n: string) =>
      kind === 'first_response'
        ? `:rotating_light: El caso ${n} ha superado su plazo de primera respuesta`
        : `:rotating_light: El caso ${n} ha superado su plazo de resolución`,
    due: 'Vencía',
    priority: 'Prioridad',
    subject: 'Asunto',
  },
  en: {
    breach: (kind: SlaKind, n: string) =>
      kind === 'first_response'
        ? `:rotating_light: Case ${n} missed its first-response target`
        : `:rotating_light: Case ${n} missed its resolution target`,
    due: 'Was due',
    priority: 'Priority',
    subject: 'Subject',
  },
} as const;

export const caseStaffTexts = (locale: Locale) => STAFF[locale];
