/**
 * What the engine itself says, in Spanish and English. Intent answers and flow prompts live in
 * intents/ and flows/ (data); these are the texts around them: fallbacks, built-in actions,
 * quick-reply labels. `{x}` placeholders are filled by `say`.
 */
import type { Locale } from '../../kernel/contracts/messages.js';

export const TEXTS = {
  fallback: {
    es: 'Perdona, no te he entendido. ¿Puedes decirlo de otra forma? Puedo ayudarte con precios, horarios, dejar tus datos de contacto o abrir una incidencia.',
    en: "Sorry, I didn't understand that. Could you say it another way? I can help with prices, opening hours, taking your contact details or opening a support case.",
  },
  clarifyTwo: {
    es: '¿Quieres {a} o {b}?',
    en: 'Do you want to {a} or {b}?',
  },
  clarifyOne: {
    es: 'No estoy seguro de haberte entendido: ¿quieres {a}?',
    en: "I'm not sure I understood: do you want to {a}?",
  },
  somethingElse: { es: 'Otra cosa', en: 'Something else' },
  clarifyOther: {
    es: 'De acuerdo. Cuéntame con otras palabras qué necesitas y lo intento de nuevo.',
    en: "All right. Tell me in other words what you need and I'll try again.",
  },
  handedOver: {
    es: 'Te paso con una persona del equipo. Te responderá por aquí en cuanto esté disponible.',
    en: "I'm passing you to a person from our team. They'll reply here as soon as they're available.",
  },
  cancelled: {
    es: 'Hecho, lo dejamos aquí. ¿En qué más puedo ayudarte?',
    en: "Done, we'll leave it there. What else can I help you with?",
  },
  nothingToCancel: {
    es: 'No hay nada en curso que cancelar. ¿En qué puedo ayudarte?',
    en: "There's nothing in progress to cancel. How can I help you?",
  },
  tooManyAttempts: {
    es: 'Parece que no consigo entender esa respuesta, así que lo dejamos aquí. Puedes escribir "hablar con una persona" si prefieres que te atienda alguien del equipo.',
    en: "I can't seem to understand that answer, so let's leave it there. You can type \"talk to a person\" if you'd rather speak to someone from the team.",
  },
  flowGone: {
    es: 'Perdona, hemos actualizado lo que puedo hacer y esa conversación ya no sigue igual. Empecemos de nuevo: ¿en qué puedo ayudarte?',
    en: "Sorry, we've updated what I can do and that conversation no longer works the same way. Let's start again: how can I help you?",
  },
  resumed: {
    es: 'Sigamos donde lo dejamos.',
    en: "Let's pick up where we left off.",
  },
  caseStatus: {
    es: 'Tu caso {number} está {status}.',
    en: 'Your case {number} is {status}.',
  },
  noCases: {
    es: 'No encuentro ningún caso abierto a tu nombre. Si quieres, puedo abrir uno: escribe "abrir un caso".',
    en: 'I can\'t find any case under your name. If you like, I can open one: type "open a case".',
  },
  unsubscribed: {
    es: 'Listo: no volverás a recibir comunicaciones comerciales nuestras. Puedes seguir escribiéndonos cuando quieras.',
    en: "Done: you won't receive marketing messages from us any more. You can still write to us whenever you like.",
  },
  transcriptUnavailable: {
    es: 'Lo siento, ahora mismo no puedo enviar correos desde aquí. Si necesitas una copia, pide hablar con una persona del equipo.',
    en: "Sorry, I can't send emails from here right now. If you need a copy, ask to talk to someone on the team.",
  },
  transcriptFailed: {
    es: 'No he podido enviar la conversación por correo. Inténtalo de nuevo más tarde.',
    en: "I couldn't email the conversation. Please try again later.",
  },
  privacyCaseOpened: {
    es: 'He registrado tu solicitud de privacidad con el número {number}. El equipo de protección de datos te responderá en un plazo máximo de 30 días.',
    en: 'I have registered your privacy request as {number}. Our data protection team will reply within 30 days at the latest.',
  },
  whichToChange: {
    es: '¿Qué dato quieres cambiar? El resto lo mantengo.',
    en: 'Which detail would you like to change? I’ll keep the rest.',
  },
  whichToChangeAgain: {
    es: 'Elige el dato que quieres cambiar con uno de los botones, o "Nada, está bien".',
    en: 'Pick the detail to change with one of the buttons, or "Nothing, it’s fine".',
  },
  nothingToChange: { es: 'Nada, está bien', en: 'Nothing, it’s fine' },
  talkToPerson: { es: 'Hablar con una persona', en: 'Talk to a person' },
  offerPerson: {
    es: 'Si lo prefieres, una persona del equipo puede seguir contigo.',
    en: 'If you prefer, a person from our team can take it from here.',
  },
  notedOther: {
    es: 'Gracias, apunto «{value}» como {label}.',
    en: 'Thanks, I’ve noted “{value}” as your {label}.',
  },
  offTopicInFlow: {
    es: 'Eso no sé responderlo, lo siento.',
    en: 'I’m afraid I can’t help with that one.',
  },
  yes: { es: 'Sí', en: 'Yes' },
  no: { es: 'No', en: 'No' },
  skip: { es: 'Omitir', en: 'Skip' },
  emptyValue: { es: '—', en: '—' },
} satisfies Record<string, Record<Locale, string>>;

export type TextKey = keyof typeof TEXTS;

export const CASE_STATUS_NAMES: Record<string, Record<Locale, string>> = {
  open: { es: 'abierto', en: 'open' },
  pending: { es: 'pendiente de tu respuesta', en: 'waiting for your reply' },
  resolved: { es: 'resuelto', en: 'resolved' },
  closed: { es: 'cerrado', en: 'closed' },
};

/** Replaces `{key}` placeholders; unknown keys become empty. */
export function fill(template: string, vars: Record<string, unknown>): string {
  return template.replace(/\{(\w+)\}/g, (_m, key: string) => {
    const v = vars[key];
    return v === undefined || v === null ? '' : String(v);
  });
}

export function say(key: TextKey, locale: Locale, vars: Record<string, unknown> = {}): string {
  return fill(TEXTS[key][locale], vars);
}
