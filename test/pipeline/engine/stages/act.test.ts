import { describe, expect, it } from 'vitest';
import { act } from '../../../../src/pipeline/engine/stages/act.js';
import { say } from '../../../../src/pipeline/engine/texts.js';
import {
  conversation,
  harness,
  runStage,
  shippedCatalogue,
  texts,
  turnOf,
  withPlan,
} from './support.js';

describe('act stage', () => {
  it("answers an intent in the turn's language, the next answer on each repeat, with its buttons", async () => {
    const h = await harness();
    const catalogue = await shippedCatalogue();
    const pricing = catalogue.intents.find((i) => i.name === 'pricing')!;
    const answers = pricing.answers!.es;
    const first = withPlan(await turnOf(h, conversation(h), 'precios'), { intent: 'pricing' });
    await runStage(act, first);
    expect(texts(first)).toEqual([answers[0]]);

    const c = conversation(h, { intentsSeen: ['pricing'] });
    const again = withPlan(await turnOf(h, c, 'precios'), { intent: 'pricing' });
    await runStage(act, again);
    expect(texts(again)).toEqual([answers[1 % answers.length]]);
    expect(first.plan!.replies[0]!.quickReplies).toBeUndefined();
  });

  it("offers an answer's buttons as quick replies", async () => {
    const h = await harness({
      catalogue: {
        intents: [
          {
            name: 'plans',
            training: { es: [], en: [] },
            answers: { es: ['Tenemos dos planes.'], en: ['Two plans.'] },
            quickReplies: { es: ['Básico', 'Pro'], en: ['Basic', 'Pro'] },
          },
        ],
        flows: [],
      },
    });
    const turn = withPlan(await turnOf(h, conversation(h), 'planes'), { intent: 'plans' });
    await runStage(act, turn);
    expect(turn.plan!.replies).toEqual([
      {
        text: 'Tenemos dos planes.',
        quickReplies: [
          { title: 'Básico', payload: 'Básico' },
          { title: 'Pro', payload: 'Pro' },
        ],
      },
    ]);
  });

  it('falls back once, and offers a person on the second fallback in a row', async () => {
    const h = await harness();
    const once = withPlan(await turnOf(h, conversation(h), 'blablá'));
    await runStage(act, once);
    expect(texts(once)).toEqual([say('fallback', 'es')]);
    expect(once.plan!.set).toEqual({
      fallbackCount: 1,
      // The menu's buttons (what the bot can do): a tap on one is a clarification pick.
      clarifying: {
        intents: ['pricing', 'open_case', 'business_hours'],
        messageId: once.message._id,
        text: 'blablá',
      },
    });

    const twice = withPlan(await turnOf(h, conversation(h, { fallbackCount: 1 }), 'blablá'));
    await runStage(act, twice);
    expect(twice.plan!.set).toMatchObject({
      fallbackCount: 0,
      flow: { name: 'human_offer', slot: 'confirm' },
    });
    expect(texts(twice)[0]).toMatch(/persona del equipo/);
    expect(twice.plan!.escalate).toBeUndefined();
  });

  it('asking for a person hands over, keeping a running flow aside', async () => {
    const h = await harness();
    const running = {
      name: 'lead_capture',
      slot: 'email',
      slots: { name: 'Ana' },
      attempts: 0,
      startedAt: new Date(),
    };
    const c = conversation(h, { flow: running });
    const turn = withPlan(await turnOf(h, c, 'quiero hablar con una persona'), {
      intent: 'human_agent',
    });
    await runStage(act, turn);
    expect(turn.plan!.escalate).toBe('customer_request');
    expect(turn.plan!.set).toMatchObject({
      flow: null,
      suspendedFlow: { name: 'lead_capture', slot: 'email' },
    });
    expect(texts(turn)).toHaveLength(1);
    // Nothing is escalated before the commit.
    expect(h.escalator.escalated).toEqual([]);
  });

  it('a flow intent starts the flow with its first question', async () => {
    const h = await harness();
    const turn = withPlan(await turnOf(h, conversation(h), 'me interesa'), {
      intent: 'lead_interest',
    });
    await runStage(act, turn);
    expect(turn.plan!.set).toMatchObject({ flow: { name: 'lead_capture', slot: 'name' } });
    expect(texts(turn)[0]).toMatch(/cómo te llamas/);
  });

  it('a built-in runs through the record actions', async () => {
    const h = await harness();
    const turn = withPlan(await turnOf(h, conversation(h), 'darme de baja'), {
      intent: 'unsubscribe',
    });
    await runStage(act, turn);
    expect(h.records.calls.map((c) => c.action)).toEqual(['unsubscribe']);
    expect(texts(turn)).toEqual(['built-in unsubscribe ran']);
  });

  it('a bare "cancelar" with nothing running is moot, not a fallback', async () => {
    const h = await harness();
    const turn = withPlan(await turnOf(h, conversation(h, { fallbackCount: 1 }), 'cancelar'));
    await runStage(act, turn);
    expect(texts(turn)).toEqual([say('nothingToCancel', 'es')]);
    expect(turn.plan!.set).toEqual({});
  });

  it('an intent pointing at a missing flow falls back', async () => {
    const catalogue = await shippedCatalogue();
    const h = await harness({
      catalogue: {
        intents: [
          { name: 'broken', training: { es: [], en: [] }, action: { type: 'flow', flow: 'nope' } },
        ],
        flows: catalogue.flows,
      },
    });
    const turn = withPlan(await turnOf(h, conversation(h), 'x'), { intent: 'broken' });
    await runStage(act, turn);
    expect(texts(turn)).toEqual([say('fallback', 'es')]);
  });
});
