/**
 * Publishing switches every running instance: two Charla processes' worth of app (A: web only,
 * B: the worker that answers customers) on one database and one Redis prefix. A publish made
 * on A reaches B over Redis pub/sub; B retrains and answers with the new intent within 5 s, a
 * conversation in the middle of a flow keeps its state, and one whose pending step was removed
 * is told politely to start again.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEXTS } from '../../../src/pipeline/engine/texts.js';
import { Conversation } from '../../../src/kernel/db/models/conversation.js';
import { customer, recordingAdapter } from '../../pipeline/engine/chat.js';
import { eventually, startTestApp, type TestApp } from '../../support/app.js';

const rec = recordingAdapter('telegram');
let a: TestApp;
let b: TestApp;

async function onA(method: string, url: string, body?: unknown) {
  const res = await fetch(`${a.url}${url}`, {
    method,
    headers: { ...a.admin, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON bodies, checked field by field
  return { status: res.status, body: (await res.json()) as any };
}

beforeAll(async () => {
  const id = randomUUID().slice(0, 8);
  const shared = { QUEUE_PREFIX: `charla-test-${id}` };
  const dbName = `charla_test_${id}`;
  a = await startTestApp({ ...shared, ROLE: 'web' }, { dbName });
  b = await startTestApp(shared, { dbName, extraAdapters: [rec.adapter] });
});
afterAll(async () => {
  await b?.stop();
  await a?.stop();
});

describe('publish on one instance, every instance follows', () => {
  // A cold publish of the shipped catalogue trains its report's five folds and the new model.
  it(
    'B answers with the intent published on A within 5 s; flows in progress carry on',
    {
      timeout: 120_000,
    },
    async () => {
      const ana = customer(() => a, rec, `ana-${randomUUID()}`);
      const bob = customer(() => a, rec, `bob-${randomUUID()}`);
      const [before] = await ana.say('¿vendéis tarjetas regalo?');
      expect(before?.text).toBe(TEXTS.fallback.es);

      // Ana is in the middle of the lead flow; Bob is asked for his case description.
      const leadPrompt = await ana.say('me interesa contratar, quiero que me contactéis');
      expect(leadPrompt.at(-1)?.awaiting?.flow).toBe('lead_capture');
      const casePrompt = await bob.say('quiero abrir una incidencia');
      expect(casePrompt.at(-1)?.awaiting).toEqual({ flow: 'open_case', slot: 'description' });

      const draft = (await onA('GET', '/api/catalogue/draft')).body;
      const openCase = draft.flows.find((f: { name: string }) => f.name === 'open_case');
      const renamed = {
        ...openCase,
        slots: openCase.slots.map((s: { name: string }) =>
          s.name === 'description' ? { ...s, name: 'details' } : s,
        ),
      };
      expect((await onA('PUT', '/api/catalogue/draft/flows/open_case', renamed)).status).toBe(200);
      const gift = {
        action: { type: 'answer' },
        training: {
          es: ['¿vendéis tarjetas regalo?', 'quiero una tarjeta regalo', 'cheque regalo'],
          en: ['do you sell gift cards?', 'I want a gift card', 'gift voucher'],
        },
        answers: { es: ['Sí, vendemos tarjetas regalo.'], en: ['Yes, we sell gift cards.'] },
      };
      expect((await onA('PUT', '/api/catalogue/draft/intents/gift_cards', gift)).status).toBe(200);

      expect(b.charla.services.catalogue.version).toBe(1);
      const published = await onA('POST', '/api/catalogue/publish');
      expect(published.status).toBe(201);
      const at = Date.now();
      await eventually(
        async () => b.charla.services.catalogue.version === published.body.version,
        5000,
      );
      const switchMs = Date.now() - at;
      expect(switchMs).toBeLessThan(5000);
      expect(b.charla.services.nlu.parse('¿vendéis tarjetas regalo?').intent).toBe('gift_cards');

      const [after] = await ana.say('¿vendéis tarjetas regalo?');
      expect(after?.text).toBe('Sí, vendemos tarjetas regalo.');
      // Ana's lead flow was kept: the question was answered and the pending slot asked again.
      const kept = await Conversation.findById(ana.conversationId()).lean();
      expect(kept?.flow?.name).toBe('lead_capture');

      // Bob's pending step (`description`) no longer exists: a polite restart, then his message
      // is read afresh — a complaint, so the case flow starts again with the new slot names.
      const restart = await bob.say('la impresora no imprime nada desde ayer');
      expect(restart[0]?.text).toBe(TEXTS.flowGone.es);
      expect(restart.at(-1)?.awaiting).toEqual({ flow: 'open_case', slot: 'details' });
    },
  );
});
