import { beforeAll, describe, expect, it } from 'vitest';
import { readFlowFiles } from '../../../src/pipeline/catalogue/catalogue.js';
import {
  answersPendingStep,
  startFlow,
  stepFlow,
  type FlowOutcome,
  type FlowState,
  CHANGE_STEP,
} from '../../../src/pipeline/flows/runtime.js';
import { plausibleRegions } from '../../../src/pipeline/flows/regions.js';
import { parseSlot } from '../../../src/pipeline/flows/slots.js';
import type { FlowDefinition } from '../../../src/pipeline/flows/schema.js';

let flows: Map<string, FlowDefinition>;
beforeAll(async () => {
  flows = new Map((await readFlowFiles()).map((f) => [f.name, f]));
});
const flow = (name: string) => flows.get(name)!;

function expectContinue(outcome: FlowOutcome): FlowState & { replies: string[] } {
  if (outcome.kind !== 'continue') throw new Error(`expected continue, got ${outcome.kind}`);
  return { ...outcome.state, replies: outcome.replies.map((r) => r.text) };
}

describe('flow runtime (pure)', () => {
  it('walks lead_capture to completion with the captured slots', () => {
    const def = flow('lead_capture');
    const ctx = { locale: 'en' as const };
    let state = expectContinue(startFlow(def, ctx));
    expect(state.slot).toBe('name');
    for (const answer of ['Ana Smith', 'ana@example.com', 'skip', 'Acme', 'no']) {
      state = expectContinue(stepFlow(def, state, answer, ctx));
    }
    expect(state.slot).toBe('confirm');
    expect(state.replies[0]).toContain('Phone: —');
    expect(state.replies[0]).toContain('News and offers: No');
    const done = stepFlow(def, state, 'yes', ctx);
    expect(done).toMatchObject({
      kind: 'complete',
      action: 'create_lead',
      slots: { name: 'Ana Smith', email: 'ana@example.com', phone: null, company: 'Acme' },
      consent: { granted: false, language: 'en' },
    });
    if (done.kind === 'complete') expect(done.consent?.wording).toMatch(/news and offers/);
  });

  it('re-asks an invalid answer, offers a person after two, hands over instead of cancelling', () => {
    const def = flow('lead_capture');
    const ctx = { locale: 'es' as const };
    let state = expectContinue(startFlow(def, ctx));
    state = expectContinue(stepFlow(def, state, 'Ana', ctx));
    const atEmail = state;
    state = expectContinue(stepFlow(def, state, 'no-es-un-email', ctx));
    expect(state).toMatchObject({ slot: 'email', attempts: 1 });
    expect(state.replies[0]).toMatch(/no parece válido/);
    const second = stepFlow(def, state, 'tampoco', ctx);
    state = expectContinue(second);
    expect(state.replies[0]).toMatch(/una persona del equipo/);
    if (second.kind === 'continue') {
      expect(second.replies[0]?.quickReplies?.map((q) => q.title)).toEqual([
        'Hablar con una persona',
      ]);
    }
    expect(stepFlow(def, state, 'Hablar con una persona', ctx)).toMatchObject({
      kind: 'escalate',
      state: { slot: 'email', slots: { name: 'Ana' } },
    });
    state = expectContinue(stepFlow(def, state, 'otra vez no', ctx));
    expect(stepFlow(def, state, 'y otra', ctx)).toMatchObject({ kind: 'escalate' });
    // The internationalised address of the issue is an email, kept with its Unicode domain.
    expect(stepFlow(def, atEmail, 'ana.munoz@cafeteria-lucía.es', ctx)).toMatchObject({
      kind: 'continue',
      state: { slot: 'phone', slots: { email: 'ana.munoz@cafeteria-lucía.es' } },
    });
  });

  it('an optional slot is skipped after too many invalid answers; "no" to the summary asks which detail', () => {
    const def = flow('lead_capture');
    const ctx = { locale: 'en' as const };
    let state = expectContinue(startFlow(def, ctx));
    state = expectContinue(stepFlow(def, state, 'Ana', ctx));
    state = expectContinue(stepFlow(def, state, 'ana@example.com', ctx));
    for (let i = 0; i < 3; i++) state = expectContinue(stepFlow(def, state, '12', ctx));
    state = expectContinue(stepFlow(def, state, '34', ctx));
    expect(state.slot).toBe('company');
    expect(state.slots.phone).toBeNull();
    state = expectContinue(stepFlow(def, state, 'Acme', ctx));
    state = expectContinue(stepFlow(def, state, 'yes', ctx));
    const rejected = stepFlow(def, state, 'no thanks', ctx);
    state = expectContinue(rejected);
    expect(state).toMatchObject({ slot: CHANGE_STEP, slots: { name: 'Ana', company: 'Acme' } });
    if (rejected.kind === 'continue') {
      expect(rejected.replies[0]?.quickReplies?.map((q) => q.title)).toEqual([
        'Name',
        'Email',
        'Phone',
        'Company',
        'News and offers',
        'Nothing, it’s fine',
      ]);
    }
    state = expectContinue(stepFlow(def, state, 'Email', ctx));
    expect(state).toMatchObject({ slot: 'email', slots: { name: 'Ana', company: 'Acme' } });
    state = expectContinue(stepFlow(def, state, 'ana@acme.co.uk', ctx));
    expect(state.slot).toBe('confirm');
    expect(stepFlow(def, state, 'yes', ctx)).toMatchObject({
      kind: 'complete',
      slots: { name: 'Ana', email: 'ana@acme.co.uk', phone: null, company: 'Acme', marketing_consent: true },
      consent: { granted: true },
    });
  });

  it('reads a national number in the plausible regions, and keeps a company typed for the phone', () => {
    const def = flow('lead_capture');
    const ctx = { locale: 'en' as const, regions: plausibleRegions({ locale: 'en', fallback: 'ES' }) };
    let state = expectContinue(startFlow(def, ctx));
    state = expectContinue(stepFlow(def, state, 'John Smith', ctx));
    state = expectContinue(stepFlow(def, state, 'john@acme.co.uk', ctx));
    const other = stepFlow(def, state, 'Acme Widgets Ltd', ctx);
    state = expectContinue(other);
    expect(state).toMatchObject({ slot: 'phone', attempts: 0, slots: { company: 'Acme Widgets Ltd' } });
    expect(state.replies[0]).toContain('Acme Widgets Ltd');
    state = expectContinue(stepFlow(def, state, '07911 123456', ctx));
    // The company is known already: the consent question comes next.
    expect(state).toMatchObject({ slot: 'marketing_consent', slots: { phone: '+447911123456' } });
    const es = { locale: 'es' as const, regions: plausibleRegions({ locale: 'es', fallback: 'ES' }) };
    expect(parseSlot('phone', '612 345 678', es)).toEqual({ ok: true, value: '+34612345678' });
  });

  it('open_case skips a known email and escalates after too many invalid answers', () => {
    const def = flow('open_case');
    const ctx = { locale: 'en' as const, known: { email: 'known@example.com' } };
    const state = expectContinue(startFlow(def, ctx));
    const done = stepFlow(def, state, 'My invoice shows the wrong amount', ctx);
    expect(done).toMatchObject({ kind: 'complete', slots: { email: 'known@example.com' } });
    if (done.kind === 'complete') expect(done.message).toContain('{number}');

    let s = expectContinue(startFlow(def, { locale: 'en' }));
    s = expectContinue(stepFlow(def, s, 'It broke', { locale: 'en' }));
    s = expectContinue(stepFlow(def, s, 'x', { locale: 'en' }));
    s = expectContinue(stepFlow(def, s, 'y', { locale: 'en' }));
    expect(stepFlow(def, s, 'z', { locale: 'en' }).kind).toBe('escalate');
  });

  it('takes email, phone and time given in the message that starts the flow', () => {
    const def = flow('callback_request');
    const ctx = { locale: 'es' as const };
    const state = expectContinue(
      startFlow(def, ctx, 'Llamadme al +34 611 222 333 mañana a las 10 por favor'),
    );
    expect(state.slot).toBe('confirm');
    expect(state.slots).toEqual({ phone: '+34611222333', preferred_time: 'mañana a las 10' });
    const lead = expectContinue(
      startFlow(flow('lead_capture'), { locale: 'en' }, 'I want a demo, my email is zed@example.com'),
    );
    expect(lead).toMatchObject({ slot: 'name', slots: { email: 'zed@example.com' } });
  });

  it('knows which answers belong to the pending step', () => {
    const def = flow('lead_capture');
    const ctx = { locale: 'es' as const };
    const atName = expectContinue(startFlow(def, ctx));
    expect(answersPendingStep(def, atName, '¿cuánto cuesta?', ctx)).toBe(false);
    expect(answersPendingStep(def, atName, 'cancelar', ctx)).toBe(true);
    const atEmail = expectContinue(stepFlow(def, atName, 'Ana', ctx));
    expect(answersPendingStep(def, atEmail, 'ana@example.com', ctx)).toBe(true);
    const atPhone = expectContinue(stepFlow(def, atEmail, 'ana@example.com', ctx));
    expect(answersPendingStep(def, atPhone, 'paso', ctx)).toBe(true);
  });
});
