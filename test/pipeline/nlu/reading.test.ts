import { beforeAll, describe, expect, it } from 'vitest';
import { createNlu, type CharlaNlu } from '../../../src/pipeline/nlu/index.js';
import {
  hasProblemSignal,
  PROBLEM_WORD,
  readingOf,
  REFERENCE_WORD,
  sentences,
  withReferenceWords,
} from '../../../src/pipeline/nlu/reading.js';
import type { IntentDefinition } from '../../../src/kernel/contracts/nlu.js';

describe('reading a message', () => {
  it('reads a failure described in any product words as one problem signal', () => {
    for (const text of [
      'la secadora se para a mitad del programa',
      'la lavadora no centrifuga',
      'el pedido 73390 tenia q llegar el martes y todavia nada',
      'Me habéis cobrado dos veces el recibo de la luz de marzo',
      'My coffee machine is broken, it does not turn on anymore',
      "the smart plug won't connect to wifi",
      'my order is a week late',
    ])
      expect(hasProblemSignal(text), text).toBe(true);
    for (const text of [
      'hola buenas',
      '¿a qué hora abrís?',
      'are you open late on Fridays?',
      'no necesito nada más, gracias',
      'How much is shipping to Canada?',
    ])
      expect(hasProblemSignal(text), text).toBe(false);
    expect(readingOf('the fridge is broken').split(/\s+/)).toContain(PROBLEM_WORD);
    expect(readingOf('hello there')).toBe('hello there');
  });

  it('splits sentences at . ! ? … line breaks and before ¿ ¡, not inside numbers', () => {
    expect(sentences('Hola, buenas. Compré una nevera y no enfría... ¿qué hago?')).toEqual([
      'Hola, buenas',
      'Compré una nevera y no enfría',
      '¿qué hago',
    ]);
    expect(sentences('Me cobraron 49.99 dos veces!!')).toEqual(['Me cobraron 49.99 dos veces']);
    expect(sentences('hi\nmy order has not arrived')).toEqual(['hi', 'my order has not arrived']);
    expect(sentences('👍')).toEqual([]);
  });

  it('reads every ticket, order or case reference as the same word', () => {
    for (const text of ['CS-000123', '#7790', 'INC-55410', 'RMA-30118', 'rma 30118', 'cs-42']) {
      expect(withReferenceWords(`any news on ${text}?`).split(/\s+/), text).toContain(
        REFERENCE_WORD,
      );
    }
    expect(withReferenceWords('call me on 612 345 678')).toBe('call me on 612 345 678');
    expect(withReferenceWords('it costs 49.99')).toBe('it costs 49.99');
  });
});

/** A tiny catalogue: framing intents next to requests, and references in one intent only. */
const CATALOGUE: IntentDefinition[] = [
  {
    name: 'greeting',
    training: { es: ['hola', 'buenas', 'buenos días', 'hola buenas'], en: ['hi', 'hello'] },
  },
  {
    name: 'thanks',
    training: { es: ['gracias', 'muchas gracias'], en: ['thanks', 'thank you'] },
  },
  {
    name: 'open_case',
    training: {
      es: ['mi pedido no ha llegado', 'el producto llegó roto', 'la nevera no enfría'],
      en: ['my order has not arrived', 'the product arrived broken'],
    },
  },
  {
    name: 'case_status',
    training: {
      es: ['cómo va el caso CS-000001', 'novedades de la incidencia INC-20001'],
      en: ['how is case CS-000001 going', 'any news on ticket #5001'],
    },
  },
];

describe('the decision on multi-sentence messages and references', () => {
  let nlu: CharlaNlu;
  beforeAll(() => {
    nlu = createNlu({ background: { es: ['qué tiempo hace'], en: ['what is the weather'] } });
    nlu.train(CATALOGUE);
  });

  it('a greeting plus a request is the request', () => {
    expect(nlu.classify('Hola, buenas. La nevera no enfría').intent).toBe('open_case');
    expect(nlu.classify('hola\nmi pedido no ha llegado').intent).toBe('open_case');
    expect(nlu.classify('Hola. Buenos días').intent).toBe('greeting');
  });

  it('a reference never seen in training still counts as one', () => {
    expect(nlu.classify('novedades de RMA-77120').intent).toBe('case_status');
    expect(nlu.parse('any news on #9931?').entities.caseNumbers).toEqual(['#9931']);
  });
});
