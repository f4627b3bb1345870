/** What the customer is told about the hand-over to staff, in the conversation's language. */
import type { Locale, QuickReply } from '../../kernel/contracts/messages.js';

/** Quick-reply payloads that mean "call me back instead" (also understood by the NLU). */
export const CALLBACK_PAYLOADS: Record<Locale, string> = {
  es: 'quiero que me llamen',
  en: 'I want a callback',
};

export const customerTexts = {
  adminEscalated: (l: Locale) =>
    l === 'es'
      ? 'Te pasamos con una persona de nuestro equipo. Te responderá por aquí en breve.'
      : 'We are passing you to a person from our team. They will answer here shortly.',
  staffJoined: (l: Locale, name: string) =>
    l === 'es'
      ? `${name}, de nuestro equipo, se ha unido a la conversación.`
      : `${name} from our team has joined the conversation.`,
  backWithBot: (l: Locale) =>
    l === 'es'
      ? 'Te devolvemos al asistente. ¿En qué más te puedo ayudar?'
      : "You're back with the assistant. How else can I help?",
  afterHours: (l: Locale, when: string | undefined, timeZone: string) => {
    if (l === 'es') {
      const back = when ? ` Volvemos ${when} (hora de ${timeZone}).` : '';
      return `Ahora mismo nuestro equipo está fuera de horario.${back} Tu consulta queda en cola; si lo prefieres, te llamamos nosotros.`;
    }
    const back = when ? ` We're back ${when} (${timeZone} time).` : '';
    return `Our team is away right now.${back} Your request stays in the queue; if you prefer, we can call you back.`;
  },
  callbackQuickReplies: (l: Locale): QuickReply[] => [
    { title: l === 'es' ? 'Que me llamen' : 'Call me back', payload: CALLBACK_PAYLOADS[l] },
  ],
};

/** True when the text is one of the callback quick-reply payloads (any language). */
export function isCallbackChoice(text: string): boolean {
  const t = text.trim().toLowerCase();
  return Object.values(CALLBACK_PAYLOADS).some((p) => p.toLowerCase() === t);
}
