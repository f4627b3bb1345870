import { beforeAll, describe, expect, it } from 'vitest';
import { readFlowFiles } from '../../../src/pipeline/catalogue/catalogue.js';
import {
  answersPendingStep,
  startFlow,
  stepFlow,
  type FlowOutcome,
  type FlowState,
} from '../../../src/pipeline/flows/runtime.js';
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
    for (const answer of ['Ana Smith', 'ana@example.com', 'skip', 'Acme']) {
      state = expectContinue(stepFlow(def, state, answer, ctx));
    }
    expect(state.slot).toBe('confirm');
    expect(state.replies[0]).toContain('Phone: —');
    const done = stepFlow(def, state, 'yes', ctx);
    expect(done).toMatchObject({
      kind: 'complete',
      action: 'create_lead',
      slots: { name: 'Ana Smith', email: 'ana@example.com', phone: null, company: 'Acme' },
    });
  });

  it('re-asks an invalid answer, then gives up after maxAttempts', () => {
    const def = flow('lead_capture');
    const ctx = { locale: 'es' as const };
    let state = expectContinue(startFlow(def, ctx));
    state = expectContinue(stepFlow(def, state, 'Ana', ctx));
    state = expectContinue(stepFlow(def, state, 'no-es-un-email', ctx));
    expect(state).toMatchObject({ slot: 'email', attempts: 1 });
    expect(state.replies[0]).toMatch(/no parece válido/);
    state = expectContinue(stepFlow(def, state, 'tampoco', ctx));
    const outcome = stepFlow(def, state, 'otra vez no', ctx);
    expect(outcome.kind).toBe('cancelled');
  });

  it('an optional slot is skipped after too many invalid answers; rejection restarts', () => {
    const def = flow('lead_capture');
    const ctx = { locale: 'en' as const };
    let state = expectContinue(startFlow(def, ctx));
    state = expectContinue(stepFlow(def, state, 'Ana', ctx));
    state = expectContinue(stepFlow(def, state, 'ana@example.com', ctx));
    for (let i = 0; i < 2; i++) state = expectContinue(stepFlow(def, state, '12', ctx));
    state = expectContinue(stepFlow(def, state, '34', ctx));
    expect(state.slot).toBe('company');
    expect(state.slots.phone).toBeNull();
    state = expectContinue(stepFlow(def, state, 'Acme', ctx));
    state = expectContinue(stepFlow(def, state, 'no', ctx));
    expect(state).toMatchObject({ slot: 'name', slots: {} });
    expect(state.replies[0]).toMatch(/correct them/);
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
