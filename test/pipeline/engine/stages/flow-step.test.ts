import { describe, expect, it } from 'vitest';
import { flowStep, sharedPhone } from '../../../../src/pipeline/engine/stages/flow-step.js';
import { say } from '../../../../src/pipeline/engine/texts.js';
import { conversation, harness, message, runStage, texts, turnOf, withPlan } from './support.js';

const leadAt = (slot: string, slots: Record<string, string> = {}) => ({
  name: 'lead_capture',
  slot,
  slots,
  attempts: 0,
  startedAt: new Date('2026-03-01T09:00:00Z'),
});

describe('flow-step stage', () => {
  it('with no flow running the turn goes on to act', async () => {
    const h = await harness();
    const turn = withPlan(await turnOf(h, conversation(h), 'hola'));
    expect((await runStage(flowStep, turn)).passedOn).toBe(true);
    expect(turn.plan!.replies).toEqual([]);
  });

  it('an answer fills the pending slot and asks the next, keeping the start time', async () => {
    const h = await harness();
    const c = conversation(h, { flow: leadAt('name') });
    const turn = withPlan(await turnOf(h, c, 'Ana García'));
    expect((await runStage(flowStep, turn)).passedOn).toBe(false);
    expect(turn.plan!.set.flow).toMatchObject({
      name: 'lead_capture',
      slot: 'email',
      slots: { name: 'Ana García' },
      startedAt: new Date('2026-03-01T09:00:00Z'),
    });
    expect(texts(turn)).toEqual(['Gracias, Ana García. ¿Cuál es tu correo electrónico?']);
  });

  it('a question mid-flow is answered and the pending slot asked again', async () => {
    const h = await harness({ nlu: { '¿cuánto cuesta?': { intent: 'pricing', confidence: 0.9 } } });
    const c = conversation(h, { flow: leadAt('email', { name: 'Ana' }) });
    const turn = withPlan(await turnOf(h, c, '¿cuánto cuesta?'), { intent: 'pricing' });
    await runStage(flowStep, turn);
    const replies = texts(turn);
    expect(replies).toHaveLength(2);
    expect(replies[1]).toBe('Gracias, Ana. ¿Cuál es tu correo electrónico?');
    expect(turn.plan!.set).not.toHaveProperty('flow');
  });

  it('asking for a person mid-flow hands over and keeps the flow aside, without re-asking', async () => {
    const h = await harness();
    const c = conversation(h, { flow: leadAt('email', { name: 'Ana' }) });
    const turn = withPlan(await turnOf(h, c, 'quiero hablar con una persona'), {
      intent: 'human_agent',
    });
    await runStage(flowStep, turn);
    expect(turn.plan!.escalate).toBe('customer_request');
    expect(turn.plan!.set).toMatchObject({ flow: null, suspendedFlow: { name: 'lead_capture' } });
    expect(texts(turn)).toHaveLength(1);
  });

  it('a flow the catalogue no longer has is forgotten, and the message still answered', async () => {
    const h = await harness();
    const c = conversation(h, {
      flow: { name: 'retired_flow', slot: 'x', slots: {}, attempts: 0, startedAt: new Date() },
    });
    const turn = withPlan(await turnOf(h, c, 'precios'), { intent: 'pricing' });
    await runStage(flowStep, turn);
    expect(turn.plan!.set.flow).toBeNull();
    const replies = texts(turn);
    expect(replies[0]).toBe(say('flowGone', 'es'));
    expect(replies).toHaveLength(2);
  });

  it('a shared contact card answers a phone question', async () => {
    const h = await harness();
    const c = conversation(h, { flow: leadAt('phone', { name: 'Ana', email: 'ana@example.com' }) });
    const turn = withPlan(
      await turnOf(h, c, '', {
        attachments: [{ kind: 'contact', contactPhone: '34612345678' }] as never,
      }),
    );
    await runStage(flowStep, turn);
    expect(turn.plan!.set.flow).toMatchObject({
      slot: 'company',
      slots: { phone: '+34612345678' },
    });
  });
});

describe('sharedPhone', () => {
  it('adds the + some platforms leave out, and drops a 00 prefix', async () => {
    const h = await harness();
    const c = conversation(h);
    const card = (contactPhone: string) =>
      message(c, '', { attachments: [{ kind: 'contact', contactPhone }] as never });
    expect(sharedPhone(card('34612345678'))).toBe('+34612345678');
    expect(sharedPhone(card('0034612345678'))).toBe('+34612345678');
    expect(sharedPhone(card('+44 7911 123456'))).toBe('+44 7911 123456');
    expect(sharedPhone(message(c, 'hola'))).toBeUndefined();
  });
});
