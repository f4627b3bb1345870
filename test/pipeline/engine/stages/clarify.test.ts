/**
 * The clarify stage on the in-memory store with a scripted NLU: it asks one question naming the
 * close intents in the customer's language, a pick (button or typed) routes the original message
 * to that intent, "something else" asks for other words, a new message is read as new, and a
 * second doubtful message falls back with the menu instead of a second question.
 */
import { Types } from 'mongoose';
import { describe, expect, it } from 'vitest';
import type { NluResult } from '../../../../src/kernel/contracts/nlu.js';
import type { ConversationDoc } from '../../../../src/kernel/db/models/conversation.js';
import { intentsToOffer } from '../../../../src/pipeline/engine/clarify-decision.js';
import { clarify } from '../../../../src/pipeline/engine/stages/clarify.js';
import { act } from '../../../../src/pipeline/engine/stages/act.js';
import { say } from '../../../../src/pipeline/engine/texts.js';
import type { Turn } from '../../../../src/pipeline/engine/turn.js';
import { conversation, harness, runStage, texts, turnOf, withPlan } from './support.js';

/** Close call between opening a case and asking about one (as the NLU ranks a vague message). */
const closeCall = {
  intent: null,
  confidence: 0.48,
  candidates: [
    { intent: 'open_case', confidence: 0.48 },
    { intent: 'case_status', confidence: 0.41 },
    { intent: 'pricing', confidence: 0.02 },
  ],
} satisfies Partial<NluResult>;

/** A conversation whose last turn asked about `messageId` (as the asking turn commits it). */
function asked(
  h: Awaited<ReturnType<typeof harness>>,
  intents: string[],
  text: string,
  locale: 'es' | 'en' = 'es',
): { c: ConversationDoc; messageId: Types.ObjectId } {
  const messageId = new Types.ObjectId();
  const c = conversation(h, {
    locale,
    clarifying: { intents, messageId, text },
    lastTurn: { messageId, replies: 1 },
  } as Partial<ConversationDoc>);
  return { c, messageId };
}

/** Runs clarify then, if it passes the turn on, act (the chain's order). */
async function clarifyThenAct(turn: Turn): Promise<boolean> {
  const { passedOn } = await runStage(clarify, turn);
  if (passedOn) await runStage(act, turn);
  return passedOn;
}

describe('clarify decision', () => {
  const all = () => true;
  it('asks between two close intents, about a middling one alone, and not when sure', () => {
    expect(intentsToOffer(closeCall, all)).toEqual(['open_case', 'case_status']);
    expect(
      intentsToOffer(
        {
          intent: null,
          candidates: [
            { intent: 'pricing', confidence: 0.47 },
            { intent: 'location', confidence: 0.01 },
          ],
        },
        all,
      ),
    ).toEqual(['pricing']);
    expect(
      intentsToOffer(
        {
          intent: 'pricing',
          candidates: [
            { intent: 'pricing', confidence: 0.99 },
            { intent: 'location', confidence: 0.05 },
          ],
        },
        all,
      ),
    ).toEqual([]);
    expect(
      intentsToOffer({ intent: null, candidates: [{ intent: 'pricing', confidence: 0.05 }] }, all),
    ).toEqual([]);
  });

  it('never offers an intent the bot cannot name (a greeting on top)', () => {
    const named = (i: string) => i !== 'greeting';
    expect(
      intentsToOffer(
        {
          intent: null,
          candidates: [
            { intent: 'greeting', confidence: 0.49 },
            { intent: 'pricing', confidence: 0.45 },
          ],
        },
        named,
      ),
    ).toEqual([]);
  });
});

describe('clarify stage', () => {
  it('asks one question naming both intents in Spanish, with their buttons and "Otra cosa"', async () => {
    const h = await harness();
    const turn = withPlan(await turnOf(h, conversation(h), 'lo de la nevera'), closeCall);
    const { passedOn } = await runStage(clarify, turn);
    expect(passedOn).toBe(false);
    expect(texts(turn)).toEqual([
      '¿Quieres abrir una incidencia o saber cómo va una incidencia que ya tienes?',
    ]);
    expect(turn.plan!.replies[0]!.quickReplies!.map((q) => q.title)).toEqual([
      'Abrir incidencia',
      'Cómo va mi caso',
      'Otra cosa',
    ]);
    expect(turn.plan!.set.clarifying).toEqual({
      intents: ['open_case', 'case_status'],
      messageId: turn.message._id,
      text: 'lo de la nevera',
    });
    expect(turn.asked).toEqual(['open_case', 'case_status']);
  });

  it('asks in English for an English conversation', async () => {
    const h = await harness();
    const c = conversation(h, { locale: 'en' } as Partial<ConversationDoc>);
    const turn = withPlan(await turnOf(h, c, 'the fridge thing'), closeCall);
    turn.locale = 'en';
    await runStage(clarify, turn);
    expect(texts(turn)).toEqual([
      'Do you want to open a support case or check on a case you already have?',
    ]);
    expect(turn.plan!.replies[0]!.quickReplies!.map((q) => q.title)).toEqual([
      'Open a case',
      'Check my case',
      'Something else',
    ]);
  });

  it('offers "where is my order" (order_status) in both languages, and its button picks it', async () => {
    const lateParcel = {
      intent: null,
      confidence: 0.47,
      candidates: [
        { intent: 'order_status', confidence: 0.47 },
        { intent: 'open_case', confidence: 0.4 },
      ],
    } satisfies Partial<NluResult>;
    const h = await harness();
    const es = withPlan(await turnOf(h, conversation(h), 'lo del paquete'), lateParcel);
    await runStage(clarify, es);
    expect(texts(es)).toEqual(['¿Quieres saber dónde está tu pedido o abrir una incidencia?']);
    expect(es.plan!.replies[0]!.quickReplies!.map((q) => q.title)).toEqual([
      'Dónde está mi pedido',
      'Abrir incidencia',
      'Otra cosa',
    ]);
    const c = conversation(h, { locale: 'en' } as Partial<ConversationDoc>);
    const en = withPlan(await turnOf(h, c, 'the parcel thing'), lateParcel);
    en.locale = 'en';
    await runStage(clarify, en);
    expect(texts(en)).toEqual(['Do you want to know where your order is or open a support case?']);
    expect(en.plan!.replies[0]!.quickReplies!.map((q) => q.title)).toEqual([
      'Where is my order',
      'Open a case',
      'Something else',
    ]);
    const { c: waiting, messageId } = asked(h, ['order_status', 'open_case'], 'lo del paquete');
    const tap = withPlan(await turnOf(h, waiting, 'Dónde está mi pedido'));
    await clarifyThenAct(tap);
    expect(tap.clarified).toEqual({ of: messageId, intent: 'order_status' });
    expect(tap.nlu.intent).toBe('order_status');
    expect(tap.text).toBe('lo del paquete');
  });

  it('a button pick routes the original message to that intent, marked as a clarification', async () => {
    const h = await harness();
    const { c, messageId } = asked(h, ['open_case', 'case_status'], 'lo de la nevera');
    const turn = withPlan(await turnOf(h, c, 'Abrir incidencia'));
    const passedOn = await clarifyThenAct(turn);
    expect(passedOn).toBe(true);
    expect(turn.nlu.intent).toBe('open_case');
    expect(turn.text).toBe('lo de la nevera');
    expect(turn.answerTo).toBe('clarification');
    expect(turn.clarified).toEqual({ of: messageId, intent: 'open_case' });
    expect(turn.plan!.intentSeen).toBe('open_case');
    expect(turn.plan!.set.clarifying).toBeNull();
    // act started the open_case flow: its first question was asked.
    expect((turn.plan!.set.flow as { name: string }).name).toBe('open_case');
  });

  it('a typed pick the NLU reads as an offered intent counts too, in either language', async () => {
    const h = await harness({ nlu: { 'how is my ticket going': { intent: 'case_status' } } });
    const { c, messageId } = asked(h, ['open_case', 'case_status'], 'the fridge', 'en');
    const turn = withPlan(await turnOf(h, c, 'how is my ticket going'), { intent: 'case_status' });
    await clarifyThenAct(turn);
    expect(turn.clarified).toEqual({ of: messageId, intent: 'case_status' });
    expect(h.records.calls.map((x) => x.action)).toEqual(['case_status']);
  });

  it('"something else" asks for other words and records no intent', async () => {
    const h = await harness();
    const { c, messageId } = asked(h, ['open_case', 'case_status'], 'lo de la nevera');
    const turn = withPlan(await turnOf(h, c, 'otra cosa'));
    const passedOn = await clarifyThenAct(turn);
    expect(passedOn).toBe(false);
    expect(texts(turn)).toEqual([say('clarifyOther', 'es')]);
    expect(turn.clarified).toEqual({ of: messageId, intent: null });
    expect(turn.answerTo).toBe('clarification');
  });

  it('a new clear message after the question is read as new, not as an answer', async () => {
    const h = await harness();
    const { c } = asked(h, ['open_case', 'case_status'], 'lo de la nevera');
    const turn = withPlan(await turnOf(h, c, '¿cuánto cuesta?'), {
      intent: 'pricing',
      candidates: [{ intent: 'pricing', confidence: 0.99 }],
    });
    const passedOn = await clarifyThenAct(turn);
    expect(passedOn).toBe(true);
    expect(turn.answerTo).toBeUndefined();
    expect(turn.clarified).toBeUndefined();
    expect(turn.plan!.set.clarifying).toBeNull();
  });

  it('a second doubtful message falls back with the menu instead of asking again', async () => {
    const h = await harness();
    const { c } = asked(h, ['open_case', 'case_status'], 'lo de la nevera');
    const turn = withPlan(await turnOf(h, c, 'pues eso de antes'), {
      ...closeCall,
      candidates: [
        { intent: 'pricing', confidence: 0.47 },
        { intent: 'location', confidence: 0.3 },
      ],
    });
    const passedOn = await clarifyThenAct(turn);
    expect(passedOn).toBe(false);
    expect(turn.asked).toBeUndefined();
    expect(texts(turn)).toEqual([say('fallback', 'es')]);
    expect(turn.plan!.replies[0]!.quickReplies!.map((q) => q.title)).toEqual([
      'Precios',
      'Abrir incidencia',
      'Horario',
    ]);
  });

  it('the fallback offers the main intents as buttons, and a tap on one is a recorded pick', async () => {
    const h = await harness();
    const c = conversation(h);
    const missed = withPlan(await turnOf(h, c, 'blablá'));
    await clarifyThenAct(missed);
    expect(missed.plan!.replies[0]!.quickReplies!.map((q) => q.title)).toEqual([
      'Precios',
      'Abrir incidencia',
      'Horario',
    ]);
    const pending = missed.plan!.set.clarifying as ConversationDoc['clarifying'];
    expect(pending).toMatchObject({ intents: ['pricing', 'open_case', 'business_hours'] });

    const after = conversation(h, {
      clarifying: pending,
      lastTurn: { messageId: missed.message._id, replies: 1 },
    } as Partial<ConversationDoc>);
    const tap = withPlan(await turnOf(h, after, 'Precios'));
    await clarifyThenAct(tap);
    expect(tap.clarified).toEqual({ of: missed.message._id, intent: 'pricing' });
    expect(tap.nlu.intent).toBe('pricing');
  });

  it('a question from an older turn is not answered by this message', async () => {
    const h = await harness();
    const c = conversation(h, {
      clarifying: { intents: ['pricing'], messageId: new Types.ObjectId(), text: 'x' },
      lastTurn: { messageId: new Types.ObjectId(), replies: 1 },
    } as Partial<ConversationDoc>);
    const turn = withPlan(await turnOf(h, c, 'Precios'));
    const passedOn = await clarifyThenAct(turn);
    expect(passedOn).toBe(true);
    expect(turn.clarified).toBeUndefined();
    // Not understood by the (scripted) NLU: the fallback's own menu replaces the old question.
    expect(turn.plan!.set.clarifying).toMatchObject({ messageId: turn.message._id });
  });
});
