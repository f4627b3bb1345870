/**
 * Quick replies authored on an intent: validated in the draft, published, and offered as buttons
 * with the answer in the conversation's language.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customer, recordingAdapter } from '../../pipeline/engine/chat.js';
import { startTestApp, type TestApp } from '../../support/app.js';

const rec = recordingAdapter('telegram');
let app: TestApp;

async function api(method: string, url: string, body?: unknown) {
  const res = await fetch(`${app.url}${url}`, {
    method,
    headers: { ...app.admin, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const phrases = (stem: string, n: number) =>
  Array.from({ length: n }, (_, i) => `${stem} ${['hoy', 'ya', 'por favor', 'ahora'][i % 4]} ${i}`);

const warranty = {
  name: 'warranty',
  action: { type: 'answer' },
  training: {
    es: phrases('qué garantía tienen los productos', 12),
    en: phrases('what warranty do the products have', 12),
  },
  answers: {
    es: ['Todos los productos tienen dos años de garantía.'],
    en: ['Every product has a two-year warranty.'],
  },
  quickReplies: {
    es: ['Abrir un caso', 'Hablar con alguien'],
    en: ['Open a case', 'Talk to someone'],
  },
};

describe('quick replies on an intent', () => {
  beforeAll(async () => {
    app = await startTestApp({}, { extraAdapters: [rec.adapter] });
  });
  afterAll(async () => app?.stop());

  it('refuses more than 3 buttons or a title over 20 characters, naming the field', async () => {
    const tooMany = await api('PUT', '/api/catalogue/draft/intents/warranty', {
      ...warranty,
      quickReplies: { es: ['a', 'b', 'c', 'd'], en: ['a very long button title indeed'] },
    });
    expect(tooMany.status).toBe(400);
    const details = (tooMany.body.error as { details: Array<{ path: string }> }).details;
    expect(details.map((d) => d.path)).toEqual(
      expect.arrayContaining(['quickReplies.es', 'quickReplies.en.0']),
    );
  });

  it('keeps a shipped intent’s clarification label in the draft the studio reads back', async () => {
    const draft = await api('GET', '/api/catalogue/draft');
    expect(draft.status).toBe(200);
    const pricing = (draft.body.intents as Array<{ name: string; label?: unknown }>).find(
      (i) => i.name === 'pricing',
    );
    expect(pricing?.label).toMatchObject({
      es: { phrase: expect.any(String), button: expect.any(String) },
      en: { phrase: expect.any(String), button: expect.any(String) },
    });
  });

  it('keeps the quick replies in the draft the studio reads back (GET and PUT answers)', async () => {
    const saved = await api('PUT', '/api/catalogue/draft/intents/warranty', warranty);
    expect(saved.status).toBe(200);
    const find = (body: Record<string, unknown>) =>
      (body.intents as Array<{ name: string; quickReplies?: unknown }>).find(
        (i) => i.name === 'warranty',
      );
    expect(find(saved.body)?.quickReplies).toEqual(warranty.quickReplies);
    const draft = await api('GET', '/api/catalogue/draft');
    expect(draft.status).toBe(200);
    expect(find(draft.body)?.quickReplies).toEqual(warranty.quickReplies);
    expect((await api('DELETE', '/api/catalogue/draft/intents/warranty')).status).toBe(200);
  });

  // A cold publish of the shipped catalogue trains its report's five folds and the new model.
  it(
    'offers the buttons with the published answer, in the customer’s language',
    {
      timeout: 120_000,
    },
    async () => {
      expect((await api('PUT', '/api/catalogue/draft/intents/warranty', warranty)).status).toBe(
        200,
      );
      expect((await api('POST', '/api/catalogue/publish')).status).toBe(201);
      const [es] = await customer(() => app, rec, 'qr-es').say(
        '¿qué garantía tienen los productos?',
      );
      expect(es?.text).toBe('Todos los productos tienen dos años de garantía.');
      expect(es?.quickReplies).toEqual([
        { title: 'Abrir un caso', payload: 'Abrir un caso' },
        { title: 'Hablar con alguien', payload: 'Hablar con alguien' },
      ]);
      const [en] = await customer(() => app, rec, 'qr-en').say(
        'what warranty do the products have?',
      );
      expect(en?.quickReplies?.map((q) => q.title)).toEqual(['Open a case', 'Talk to someone']);
    },
  );
});
