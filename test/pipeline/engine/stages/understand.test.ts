import { Types } from 'mongoose';
import { describe, expect, it } from 'vitest';
import { chooseLocale, understand } from '../../../../src/pipeline/engine/stages/understand.js';
import { conversation, harness, runStage, turnOf } from './support.js';

const result = (language: 'es' | 'en', intent: string | null = null) => ({
  intent,
  confidence: intent ? 0.9 : 0.1,
  language,
  entities: {},
});

describe('understand stage', () => {
  it('opens the plan with the language, console fields, sentiment and the intent seen', async () => {
    const h = await harness({
      nlu: {
        'what are your opening hours?': {
          intent: 'business_hours',
          language: 'en',
          confidence: 0.8,
        },
      },
    });
    const c = conversation(h, {
      fallbackCount: 1,
      awaitingRating: { caseId: new Types.ObjectId(), until: new Date(Date.now() + 1000) },
    });
    const turn = await turnOf(h, c, 'what are your opening hours?');
    const { passedOn } = await runStage(understand, turn);
    expect(passedOn).toBe(true);
    expect(turn.locale).toBe('en');
    expect(turn.nlu.intent).toBe('business_hours');
    expect(turn.plan).toMatchObject({
      intentSeen: 'business_hours',
      replies: [],
      set: {
        locale: 'en',
        fallbackCount: 0,
        awaitingRating: null,
        lastIntent: 'business_hours',
        lastMessageText: 'what are your opening hours?',
      },
    });
    expect(typeof turn.plan?.sentiment).toBe('number');
    expect(turn.conversation.fallbackCount).toBe(0);
    expect(h.crashes).toEqual(['after-nlu']);
    expect(h.store.writes).toEqual([]);
  });

  it('an unrecognised message keeps the fallback count and parses no empty text', async () => {
    const h = await harness();
    const c = conversation(h, { fallbackCount: 1, locale: 'en' });
    const turn = await turnOf(h, c, '   ', {
      attachments: [{ kind: 'image' }] as never,
    });
    await runStage(understand, turn);
    expect(h.nlu.parsed).toEqual([]);
    expect(turn.plan?.set).not.toHaveProperty('fallbackCount');
    expect(turn.plan?.set).toMatchObject({ locale: 'en', lastMessageText: '[image]' });
    expect(turn.plan?.intentSeen).toBeUndefined();
  });
});

describe('chooseLocale', () => {
  it('a first message sets the language when it has words, else the default', () => {
    expect(chooseLocale(undefined, 'hello', result('en'), false, 'es')).toBe('en');
    expect(chooseLocale(undefined, '123 👍', result('en'), false, 'es')).toBe('es');
  });

  it('a short unrecognised message keeps the conversation language; three words change it', () => {
    expect(chooseLocale('es', 'ok thanks', result('en'), false, 'es')).toBe('es');
    expect(chooseLocale('es', 'I need some help', result('en'), false, 'es')).toBe('en');
    expect(chooseLocale('es', 'prices', result('en', 'pricing'), false, 'es')).toBe('en');
  });

  it('a slot answer keeps the language unless it is a recognised sentence', () => {
    expect(chooseLocale('es', 'John Smith Jones', result('en'), true, 'es')).toBe('es');
    expect(chooseLocale('es', 'how much does it cost', result('en', 'pricing'), true, 'es')).toBe(
      'en',
    );
    expect(chooseLocale('es', 'prices', result('en', 'pricing'), true, 'es')).toBe('es');
  });

  it('emails and links are not words', () => {
    expect(chooseLocale(undefined, 'ana@example.com', result('en'), false, 'es')).toBe('es');
  });
});
