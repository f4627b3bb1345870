/**
 * Per-message language detection (es/en) that works on one-word messages as well as sentences.
 * Evidence, strongest first: Spanish-only characters (ñ, ¿, ¡, accented vowels); a lexicon of
 * frequent words of each language (short chat words like "hola", "ok", "thanks" included); and a
 * character-trigram naive Bayes learned from that lexicon plus any labelled phrases the NLU was
 * trained with. No evidence at all ("ok", "123", an emoji) → the fallback language.
 */
import type { Locale } from '../../kernel/contracts/messages.js';
import { foldText } from './features.js';

const SPANISH_WORDS = `
a al algo algún alguna alguien ahí ahora allí antes aquí así aun aún bien bueno buena buenas buenos
cada casi cómo como con contra cual cuál cuales cuando cuándo cuanto cuánto cuánta cuesta de del desde
donde dónde dos el él ella ellas ellos en entre era eres es esa ese eso esta está estaba estamos están
estar este esto estoy estás fue gracias ha hace hacer han hasta hay hola hoy la las le les lo los más
me mi mis mío mucho muchas muy nada ni no nos nosotros nuestra nuestro o otra otro para pero poco por
porque puede puedo pues que qué quien quién quiero quiere se sea según ser si sí sido sin sobre son su
sus también tan tanto te tengo tenemos tiene tienen todo todos tu tú tus un una uno unos unas usted
ustedes vale vamos ya yo adiós adios chao chau hasta luego vale venga claro vale perfecto genial
necesito poner pon ponme quisiera gustaría gustaria mañana manana tarde noche día dias días semana
hora horas minutos alarma alarmas recordatorio recordatorios tiempo clima lluvia llover hará hace
temperatura grados fin favor ayuda ayudar llamar llamada llámame llamame hablar persona precio precios
cuánto cuanto cuesta dirección direccion dónde donde abrir abierto cerrado horario caso problema
cuenta pedido quiero queremos tenéis teneis podéis podeis puedes podría podria poner borrar cancelar
eliminar configurar establecer despiértame despiertame recuérdame recuerdame lunes martes miércoles
jueves viernes sábado domingo enero febrero marzo abril mayo junio julio agosto septiembre octubre
noviembre diciembre mío mía tuyo suyo esto aquello cosa cosas gente señor señora datos correo baja
`;

const ENGLISH_WORDS = `
a about after all also am an and any are as at be because been before being but by can could did do
does doing don't done for from get got had has have having he her here hers him his how i i'm if in
into is it it's its just know like make me more most my no not now of off on one only or our out over
please same she should so some such than that the their them then there these they this those to too
up us very was we were what when where which while who why will with would yes you your yours hi hello
hey thanks thank thx bye goodbye yeah yep nope sure cool great good morning evening night day
today tomorrow tonight week weekend time weather rain sunny temperature alarm alarms reminder remind
set cancel delete show tell want need help call talk speak person human agent price cost much many
address open opened closed hours case problem issue account order money bank card transfer balance
credit pay bill song music play find book flight hotel car what's how's where's i'd i'll can't won't
monday tuesday wednesday thursday friday saturday sunday january february march april june july
august september october november december install ubuntu file files use using work works working
`;

const MARKS_ES = /[ñ¿¡áéíóú]/i;

/** The lexicon as folded words → language. Words in both lists (a, no, me...) are dropped. */
function buildLexicon(): Map<string, Locale> {
  const es = new Set(SPANISH_WORDS.split(/\s+/).filter(Boolean).map(foldText));
  const en = new Set(ENGLISH_WORDS.split(/\s+/).filter(Boolean).map(foldText));
  const lexicon = new Map<string, Locale>();
  for (const w of es) if (!en.has(w)) lexicon.set(w, 'es');
  for (const w of en) if (!es.has(w)) lexicon.set(w, 'en');
  return lexicon;
}

const WORD = /[\p{L}']+/gu;

/** Character-trigram naive Bayes over folded, boundary-padded words. */
class TrigramModel {
  private readonly counts: Record<Locale, Map<string, number>> = { es: new Map(), en: new Map() };
  private readonly totals: Record<Locale, number> = { es: 0, en: 0 };

  add(text: string, language: Locale): void {
    for (const g of trigrams(text)) {
      this.counts[language].set(g, (this.counts[language].get(g) ?? 0) + 1);
      this.totals[language] += 1;
    }
  }

  /** log P(text|es) − log P(text|en), add-one smoothed. */
  logRatio(text: string): number {
    const vocab = 20_000;
    let score = 0;
    for (const g of trigrams(text)) {
      const es = ((this.counts.es.get(g) ?? 0) + 1) / (this.totals.es + vocab);
      const en = ((this.counts.en.get(g) ?? 0) + 1) / (this.totals.en + vocab);
      score += Math.log(es / en);
    }
    return score;
  }
}

function trigrams(text: string): string[] {
  const out: string[] = [];
  for (const w of foldText(text).match(WORD) ?? []) {
    const p = ' ' + w + ' ';
    for (let i = 0; i + 3 <= p.length; i++) out.push(p.slice(i, i + 3));
  }
  return out;
}

/** A language detector; `learn` adds labelled text (the intent catalogue's training phrases). */
export class LanguageDetector {
  private readonly lexicon = buildLexicon();
  private readonly trigramModel = new TrigramModel();

  constructor() {
    this.trigramModel.add(SPANISH_WORDS, 'es');
    this.trigramModel.add(ENGLISH_WORDS, 'en');
  }

  learn(text: string, language: Locale): void {
    this.trigramModel.add(text, language);
  }

  /** log-odds that the text is Spanish rather than English (0 = no evidence). */
  score(text: string): number {
    let score = 0;
    if (MARKS_ES.test(text)) score += 3;
    const tokens = foldText(text).match(WORD) ?? [];
    for (const t of tokens) {
      const lang = this.lexicon.get(t);
      if (lang) score += lang === 'es' ? 2 : -2;
    }
    if (tokens.length > 0) score += 0.5 * this.trigramModel.logRatio(text);
    return score;
  }

  detect(text: string, fallback: Locale = 'es'): Locale {
    const s = this.score(text);
    if (Math.abs(s) < 0.5) return fallback;
    return s > 0 ? 'es' : 'en';
  }
}

const shared = new LanguageDetector();

/** Detects es/en with the built-in lexicon; `fallback` when the text carries no evidence. */
export function detectLanguage(text: string, fallback: Locale = 'es'): Locale {
  return shared.detect(text, fallback);
}
