/**
 * Issue 24 item 5: what admins can publish is bounded (limits.ts), each limit answered with 400
 * `limit_exceeded` in the admin's language and nothing saved; and a publish trains off the event
 * loop, so the instance keeps answering (/healthz) while it does.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CatalogueDraftModel } from '../../../src/kernel/db/models/catalogue.js';
import { activeOffThreadJobs } from '../../../src/kernel/compute/off-thread.js';
import { CATALOGUE_LIMITS } from '../../../src/features/catalogue/limits.js';
import { eventually, startTestApp, type TestApp } from '../../support/app.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => app?.stop());

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON bodies, checked field by field
async function api(method: string, url: string, body?: unknown, lang = 'en'): Promise<any> {
  const res = await fetch(`${app.url}${url}`, {
    method,
    headers: {
      ...app.admin,
      'accept-language': lang,
      ...(body === undefined
        ? {}
        : { 'content-type': typeof body === 'string' ? 'text/csv' : 'application/json' }),
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

const phrases = (n: number, tag: string) => Array.from({ length: n }, (_, i) => `${tag} ${i}`);
const intent = (es: string[], en: string[]) => ({
  action: { type: 'answer' },
  training: { es, en },
  answers: { es: ['Sí.'], en: ['Yes.'] },
});
const slot = (i: number) => ({
  name: `field_${i}`,
  type: 'text',
  label: { es: `Campo ${i}`, en: `Field ${i}` },
  prompt: { es: `¿Campo ${i}?`, en: `Field ${i}?` },
  reprompt: { es: 'Otra vez', en: 'Again' },
});
const flow = (slots: number, description?: string) => ({
  description,
  slots: Array.from({ length: slots }, (_, i) => slot(i)),
  completion: { action: 'none', messages: { es: 'Hecho', en: 'Done' } },
});

async function draftRevision(): Promise<number> {
  return (await api('GET', '/api/catalogue/draft')).body.revision;
}

describe('catalogue limits', () => {
  it('refuses an intent with too many phrases in a language, in Spanish or English', async () => {
    const over = CATALOGUE_LIMITS.phrasesPerLanguage + 1;
    const es = await api(
      'PUT',
      '/api/catalogue/draft/intents/huge',
      intent(phrases(over, 'frase'), ['hi']),
      'es',
    );
    expect(es.status).toBe(400);
    expect(es.body.error.code).toBe('limit_exceeded');
    expect(es.body.error.message).toMatch(/^training\.es: Demasiadas frases.*como máximo 400/);
    const en = await api(
      'PUT',
      '/api/catalogue/draft/intents/huge',
      intent(['hola'], phrases(15_000, 'phrase')),
    );
    expect(en.status).toBe(400);
    expect(en.body.error.message).toMatch(/Too many training phrases: at most 400 per language/);
    expect(await draftRevision()).toBe(0);
  });

  it('refuses a phrase that is too long', async () => {
    const long = 'a'.repeat(CATALOGUE_LIMITS.phraseLength + 1);
    const res = await api('PUT', '/api/catalogue/draft/intents/long_one', intent(['hola'], [long]));
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({
      code: 'limit_exceeded',
      details: [
        { path: 'training.en.0', message: expect.stringMatching(/at most 300 characters/) },
      ],
    });
    expect(await draftRevision()).toBe(0);
  });

  it('refuses a flow with too many slots, and one too large', async () => {
    const many = await api('PUT', '/api/catalogue/draft/flows/long_form', flow(21), 'es');
    expect(many.status).toBe(400);
    expect(many.body.error.code).toBe('limit_exceeded');
    expect(many.body.error.message).toMatch(/demasiados campos: como máximo 20/);
    const large = await api(
      'PUT',
      '/api/catalogue/draft/flows/big_form',
      flow(2, 'x'.repeat(CATALOGUE_LIMITS.flowSize)),
    );
    expect(large.status).toBe(400);
    expect(large.body.error.message).toMatch(/The flow is too large: at most 20,000 characters/);
    expect(await draftRevision()).toBe(0);
  });

  it('refuses an import that would take the catalogue over the number of intents', async () => {
    const rows = Array.from(
      { length: CATALOGUE_LIMITS.intents },
      (_, i) => `faq_${i},pregunta ${i},question ${i},respuesta,answer`,
    );
    const csv = ['intent,question_es,question_en,answer_es,answer_en', ...rows].join('\n');
    const res = await api('POST', '/api/catalogue/draft/faq-import', csv);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('limit_exceeded');
    expect(res.body.error.message).toMatch(/Too many intents: at most 100/);
    expect(await draftRevision()).toBe(0);
  });

  it('refuses to publish a stored draft over the total number of phrases', async () => {
    const live = (await api('GET', '/api/catalogue')).body;
    const per = CATALOGUE_LIMITS.phrasesPerLanguage;
    const extra = Array.from(
      { length: Math.ceil(CATALOGUE_LIMITS.phrases / (2 * per)) },
      (_, i) => ({
        name: `bulk_${i}`,
        ...intent(phrases(per, `frase ${i}`), phrases(per, `phrase ${i}`)),
      }),
    );
    await CatalogueDraftModel.replaceOne(
      { _id: 'draft' },
      {
        _id: 'draft',
        baseVersion: live.version,
        revision: 1,
        intents: [...live.intents, ...extra],
        flows: live.flows,
        updatedBy: 'test',
      },
      { upsert: true },
    );
    const res = await api('POST', '/api/catalogue/publish', undefined, 'es');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('limit_exceeded');
    expect(res.body.error.message).toMatch(/^intents: El catálogo tendría demasiadas frases/);
    expect((await api('GET', '/api/catalogue')).body.version).toBe(live.version);
    await CatalogueDraftModel.deleteOne({ _id: 'draft' });
  });
});

describe('publishing trains off the event loop', () => {
  it('answers /healthz while a publish is training', { timeout: 240_000 }, async () => {
    // A new intent (its phrases never seen, so nothing is cached) on top of the shipped catalogue.
    const tag = randomUUID().slice(0, 8);
    const saved = await api(
      'PUT',
      `/api/catalogue/draft/intents/gift_${tag}`,
      intent(phrases(200, `tarjeta regalo ${tag}`), phrases(200, `gift card ${tag}`)),
    );
    expect(saved.status).toBe(200);
    let published = false;
    const publish = api('POST', '/api/catalogue/publish').finally(() => (published = true));
    // The report trains in a worker thread: while it does, the server answers.
    await eventually(async () => activeOffThreadJobs() > 0 || published, 120_000);
    expect(published).toBe(false);
    const health = await fetch(`${app.url}/healthz`);
    expect(health.status).toBe(200);
    expect(activeOffThreadJobs()).toBeGreaterThan(0);
    expect(published).toBe(false);
    const done = await publish;
    expect(done.status).toBe(201);
    expect(app.charla.services.nlu.parse(`gift card ${tag} 7`).intent).toBe(`gift_${tag}`);
  });
});
