/**
 * How the NLU reads a customer's message before classifying it: references become one word, and
 * a message of several sentences is also read sentence by sentence (index.ts decides between the
 * readings). Both exist because customers write "Hola. Compré una nevera y no enfría" or "any
 * news on INC-55410?", which short training phrases do not look like.
 */
import { findReferences } from './entities.js';

/**
 * The word a ticket, order or case reference is read as ("CS-000123", "#7790", "INC-55410"), so
 * every reference counts as the same evidence instead of an unseen number.
 */
export const REFERENCE_WORD = 'xxref';

/** `text` with every reference replaced by REFERENCE_WORD. */
export function withReferenceWords(text: string): string {
  let out = text;
  for (const ref of findReferences(text)) out = out.replace(ref, ` ${REFERENCE_WORD} `);
  return out;
}

// A sentence ends at . ! ? … or a line break (not inside numbers like 49.99), or before ¿ / ¡.
const SENTENCE_END = /(?<!\d)[.!?…]+(?!\d)|\n+|(?=[¿¡])/u;

/** The sentences of `text` that have a letter in them; one element for a one-sentence message. */
export function sentences(text: string): string[] {
  return text
    .split(SENTENCE_END)
    .map((s) => s.trim())
    .filter((s) => /\p{L}/u.test(s));
}

/**
 * The word a problem signal is read as: something broken, missing, late, wrong or charged in
 * error. Customers describe a fault with the words of their product ("la secadora se para a
 * mitad del programa", "the hob ring won't heat up"), which no catalogue can list; the signal
 * they share is the failure itself, so it counts as one more word the classifier can weigh.
 */
export const PROBLEM_WORD = 'xxfault';

// Folded (accent-free, lower-case) patterns; each is one kind of failure customers describe.
const PROBLEM_SIGNALS: readonly RegExp[] = [
  // broken, faulty, damaged
  /\b(roto|rota|rotos|rotas|rompio|rompe|estropead\w*|estropea\w*|averiad\w*|averia\w*|defectuos\w*|dañad\w*|danad\w*|rajad\w*|golpead\w*|broken|broke|faulty|damaged|defective|cracked|smashed|dented)\b/,
  // does not work / turn on / charge / connect / cool… ("no enciende", "won't turn on")
  /\bno (me )?(imprime\w*|escanea\w*|responde\w*|reconoce\w*|detecta\w*|sincroniza\w*|actualiza\w*|instala\w*|descarga\w*|graba\w*|lee\b|marca\w*|funciona\w*|enciende\w*|arranca\w*|carga\w*|conecta\w*|enfria\w*|calienta\w*|centrifuga\w*|congela\w*|cierra\w*|abre\w*|suena\w*|va\b|anda\w*|deja\w*|tiene (tono|señal|senal|linea|internet|conexion|fibra)|llega\w*|ha llegado|han llegado|llego|recib\w*|me deja)/,
  /\b(won'?t|doesn'?t|does not|will not|isn'?t|is not|stopped|can'?t|cannot|didn'?t|did not|hasn'?t|has not|haven'?t|never) ?(work\w*|turn\w* on|switch\w* on|start\w*|charg\w*|connect\w*|cool\w*|heat\w*|spin\w*|freez\w*|clos\w*|open\w*|load\w*|log ?in|arriv\w*|come|came|show\w* up|turn\w* up|deliver\w*|access)\b/,
  /\b(not working|stopped working|out of order|no signal|no dial tone|no internet|keeps? (crashing|freezing|restarting|dropping|leaking)|se (cuelga|bloquea|reinicia|apaga|para|sale|despega|rompio|estropeo)|gotea|pierde agua|leak\w*|drip\w*|crash\w*|glitch\w*|bug)\b/,
  // "no imprime nada", "no enfría nada" (not "no necesito nada", a goodbye)
  /\bno (?!necesito|quiero|hace|hay|tengo|pasa|pido|busco|queda|falta)\p{L}+ nada\b/u,
  // missing, lost, late, wrong item
  /\b(perdid\w*|extraviad\w*|perdieron|lost|missing|falta\w*|sin (tornillos|piezas|instrucciones)|equivocad\w*|incorrect\w*|wrong|retras\w*|(is|are|was|were|running|arrived|came|so|very|weeks?|days?) late|late (delivery|order|parcel|package)|delayed|todavia (no|nada)|aun (no|nada)|still (not|no|waiting|hasn'?t)|nunca (llego|vino)|no (ha )?venido|no vino|didn'?t (turn up|show))\b/,
  // charged in error
  /\b(cobra\w* (dos veces|de mas|doble|dos)|doble cargo|cargo (duplicado|que no)|charged (twice|double|me twice)|double[- ]charged|overcharged|charged .* (wrong|by mistake|in error)|refund|reembolso|devolucion del dinero)\b/,
];

/** Whether `text` describes a failure (PROBLEM_SIGNALS). */
export function hasProblemSignal(text: string): boolean {
  const folded = text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
  return PROBLEM_SIGNALS.some((re) => re.test(folded));
}

/** How the classifier reads a text: references as one word, a problem signal as another. */
export function readingOf(text: string): string {
  const read = withReferenceWords(text);
  return hasProblemSignal(text) ? `${read} ${PROBLEM_WORD}` : read;
}
