import { beforeAll, describe, expect, it } from 'vitest';
import { createNlu } from '../../../src/pipeline/nlu/index.js';
import type { IntentDefinition, Nlu } from '../../../src/kernel/contracts/nlu.js';
import { loadShippedIntents } from './shipped-catalogue.js';

/** Phrasings written for this test, none of them in intents/*.yaml (checked below). */
const HELD_OUT: Record<string, { es: string[]; en: string[] }> = {
  order_status: {
    es: [
      '¿dónde está mi pedido 4521?',
      '¿me decís en qué estado está mi pedido?',
      'quiero saber por dónde va el paquete que pedí',
    ],
    en: [
      "where's my order 4521?",
      'could you check where my order is right now',
      'can you tell me the status of my order',
    ],
  },
  greeting: {
    es: ['hola buenos días', 'buenas, ¿qué tal?', 'holaaa'],
    en: ['hello, good morning', 'hey hi', 'hi there, how are you'],
  },
  goodbye: {
    es: ['venga, adiós', 'hasta luego, gracias por nada', 'chao, nos vemos pronto'],
    en: ['ok goodbye then', 'bye for now', 'see you soon, bye'],
  },
  thanks: {
    es: ['muchas gracias por todo', 'perfecto, muchas gracias!', 'vale, te lo agradezco'],
    en: ['thanks a bunch', 'thank you, that helps', 'great, thank you so much'],
  },
  business_hours: {
    es: ['¿a qué hora abrís mañana?', 'qué horario tenéis los viernes', '¿abrís el sábado?'],
    en: [
      'what time do you open on monday?',
      'are you open on weekends',
      'what are your opening hours',
    ],
  },
  pricing: {
    es: ['¿cuánto cuesta el plan profesional?', 'qué precios tenéis', 'cuanto cuesta al año'],
    en: ['how much is the pro plan?', 'what do you charge per month', 'what are your prices'],
  },
  location: {
    es: ['¿dónde tenéis la oficina?', 'cuál es vuestra dirección exacta', 'dónde os puedo visitar'],
    en: [
      'where is your office located?',
      "what's the address of the office",
      'where can i find your store',
    ],
  },
  human_agent: {
    es: [
      'quiero hablar con un agente humano',
      'pásame con una persona por favor',
      'necesito hablar con alguien real',
    ],
    en: [
      'i want to speak to a human',
      'connect me with a real person please',
      'can i talk to an agent',
    ],
  },
  lead_interest: {
    es: [
      'me interesa contratar vuestro servicio',
      'quiero solicitar una demo',
      'nos gustaría un presupuesto para la empresa',
    ],
    en: [
      'i am interested in buying your product',
      'can we book a demo for our team',
      "i'd like a quote for my company",
    ],
  },
  callback_request: {
    es: [
      '¿me podéis llamar esta tarde?',
      'quiero que me llaméis mañana',
      'llamadme al móvil por favor',
    ],
    en: [
      'can you call me this afternoon?',
      'please call me back tomorrow',
      'i would like someone to call me',
    ],
  },
  open_case: {
    es: ['tengo un problema con la factura', 'mi pedido llegó roto', 'no me funciona la app'],
    en: ['i have a problem with my invoice', 'my order arrived broken', 'the app does not work'],
  },
  case_status: {
    es: [
      '¿cómo va el caso CS-000321?',
      'quiero saber cómo va mi incidencia',
      'estado de mi reclamación',
    ],
    en: [
      'how is case CS-000321 going?',
      'any update on my ticket?',
      "what's the status of my complaint",
    ],
  },
  privacy_request: {
    es: [
      'quiero que borréis todos mis datos',
      'solicito acceso a mis datos personales',
      'eliminad mi información personal',
    ],
    en: [
      'please delete all my data',
      'i want access to my personal data',
      'erase my personal information',
    ],
  },
  transcript_request: {
    es: [
      'envíame por correo lo que hemos hablado',
      'quiero una copia del chat en mi email',
      'mándame la transcripción de esta conversación',
    ],
    en: [
      'email me a transcript of this chat',
      'send this conversation to my email please',
      'can i get a copy of our chat by email',
    ],
  },
  unsubscribe: {
    es: [
      'no quiero recibir más mensajes vuestros',
      'quiero darme de baja de la lista',
      'dejad de mandarme publicidad',
    ],
    en: [
      'unsubscribe me from your messages',
      'stop sending me promotions',
      'remove me from the mailing list',
    ],
  },
};

const OUT_OF_DOMAIN = {
  es: [
    '¿cuál es el río más largo del mundo?',
    'me encanta la pizza con piña',
    'quién escribió el Quijote',
    'mi hermano juega al baloncesto',
    '¿cuántas patas tiene una araña?',
  ],
  en: [
    'what is the longest river in the world?',
    'i love pineapple on pizza',
    'who wrote hamlet',
    'my brother plays basketball',
    'how many legs does a spider have?',
  ],
};

describe('NLU on the shipped catalogue', () => {
  let catalogue: IntentDefinition[];
  let nlu: Nlu;

  beforeAll(async () => {
    catalogue = loadShippedIntents();
    nlu = createNlu();
    await nlu.train(catalogue);
  });

  it('ships every intent the engine expects, with enough phrases and answers where needed', () => {
    expect(catalogue.map((i) => i.name).sort()).toEqual(Object.keys(HELD_OUT).sort());
    for (const intent of catalogue) {
      expect(intent.training.es.length, intent.name).toBeGreaterThanOrEqual(25);
      expect(intent.training.en.length, intent.name).toBeGreaterThanOrEqual(25);
      if (intent.action?.type === 'answer') {
        expect(intent.answers?.es.length, intent.name).toBeGreaterThan(0);
        expect(intent.answers?.en.length, intent.name).toBeGreaterThan(0);
      }
    }
  });

  it('held-out phrasings are really absent from the training data', () => {
    const trained = new Set(
      catalogue.flatMap((i) => [...i.training.es, ...i.training.en]).map((t) => t.toLowerCase()),
    );
    for (const phrases of Object.values(HELD_OUT)) {
      for (const p of [...phrases.es, ...phrases.en])
        expect(trained.has(p.toLowerCase()), p).toBe(false);
    }
  });

  for (const [intent, phrases] of Object.entries(HELD_OUT)) {
    for (const language of ['es', 'en'] as const) {
      it(`recognises ${intent} in ${language} on unseen phrasings`, () => {
        for (const text of phrases[language]) {
          const result = nlu.parse(text);
          expect({ text, intent: result.intent, language: result.language }).toEqual({
            text,
            intent,
            language,
          });
          expect(result.confidence).toBeGreaterThan(0);
        }
      });
    }
  }

  for (const language of ['es', 'en'] as const) {
    it(`returns no intent for out-of-domain ${language} sentences`, () => {
      for (const text of OUT_OF_DOMAIN[language]) {
        const result = nlu.parse(text);
        expect({ text, intent: result.intent }).toEqual({ text, intent: null });
        expect(result.language).toBe(language);
      }
    });
  }

  it('returns no intent for gibberish and empty input, without throwing', () => {
    for (const text of ['', '   ', 'qwzx plmk', '🙂🙂', '1234']) {
      expect(nlu.parse(text).intent).toBeNull();
    }
  });

  it('extracts entities alongside the intent', () => {
    const result = nlu.parse('¿cómo va mi caso cs-000042?');
    expect(result.intent).toBe('case_status');
    expect(result.entities.caseNumbers).toEqual(['CS-000042']);
  });

  it('a stricter threshold turns weak matches into no intent', async () => {
    const strict = createNlu({ threshold: 0.999999 });
    await strict.train(catalogue);
    expect(strict.parse('precio').intent).toBeNull();
    expect(nlu.parse('precio').intent).toBe('pricing');
  });

  it('knows nothing before training', () => {
    const untrained = createNlu();
    const result = untrained.parse('hola');
    expect(result.intent).toBeNull();
    expect(result.language).toBe('es');
  });
});
