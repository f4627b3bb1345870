/**
 * The bot studio API against a real Charla (FerretDB + Redis): draft edits and their validation
 * errors, test-the-draft, the sandbox chat, publish with its report, versions, diff, rollback,
 * export, the unanswered list (grouping, add as phrase, dismiss) and the FAQ CSV import.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import type { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { intentSchema } from '../../../src/pipeline/catalogue/schema.js';
import { AuditEntry } from '../../../src/kernel/db/models/audit-entry.js';
import { CatalogueVersionModel } from '../../../src/kernel/db/models/catalogue.js';
import { Conversation } from '../../../src/kernel/db/models/conversation.js';
import { Message } from '../../../src/kernel/db/models/message.js';
import { startTestApp, type TestApp } from '../../support/app.js';
import { missed, storeInbound } from '../../support/inbound-messages.js';

let app: TestApp;

async function api(
  method: string,
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON bodies, checked field by field
): Promise<{ status: number; body: any }> {
  const res = await fetch(`${app.url}${url}`, {
    method,
    headers: {
      ...app.admin,
      ...(body !== undefined && typeof body !== 'string'
        ? { 'content-type': 'application/json' }
        : {}),
      ...headers,
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON bodies, checked field by field
  let parsed: any = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: res.status, body: parsed };
}

const pricingEn: string = (
  parseYaml(readFileSync(path.resolve('intents/pricing.yaml'), 'utf8')) as {
    training: { en: string[] };
  }
).training.en[0]!;

const giftCards = {
  name: 'gift_cards',
  action: { type: 'answer' },
  training: {
    es: [
      '¿vendéis tarjetas regalo?',
      'quiero comprar una tarjeta regalo',
      'tenéis cheques regalo',
      '¿se puede regalar una tarjeta?',
      'tarjeta regalo para un amigo',
    ],
    en: [
      'do you sell gift cards?',
      'I want to buy a gift card',
      'gift voucher please',
      'can I give a gift card to a friend',
      // Also a phrase of `pricing`: the report must flag it.
      pricingEn,
    ],
  },
  answers: {
    es: ['Sí: tenemos tarjetas regalo de 25, 50 y 100 €.'],
    en: ['Yes: we have gift cards of €25, €50 and €100.'],
  },
};

beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => app?.stop());

describe('bot studio: draft', () => {
  it('serves the live catalogue as version 1, only to admins, documented in OpenAPI', async () => {
    const live = await api('GET', '/api/catalogue');
    expect(live.status).toBe(200);
    expect(live.body.version).toBe(1);
    expect(live.body.intents.map((i: { name: string }) => i.name)).toContain('pricing');
    expect(live.body.flows.map((f: { name: string }) => f.name)).toContain('lead_capture');
    const anonymous = await fetch(`${app.url}/api/catalogue/draft`);
    expect(anonymous.status).toBe(401);
    const draft = await api('GET', '/api/catalogue/draft');
    expect(draft.body).toMatchObject({ baseVersion: 1, revision: 0, changed: false, problems: [] });

    // A marketer (signed in with a session) is refused: the studio is admin-only.
    const user = { email: 'mia@example.com', name: 'Mia', role: 'marketer' };
    const password = 'a-long-enough-password';
    expect((await api('POST', '/api/users', { ...user, password })).status).toBe(201);
    const login = await fetch(`${app.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: user.email, password }),
    });
    // The session cookie (sign-in also sets the throttle's device cookie).
    const cookie = login.headers
      .getSetCookie()
      .find((c) => c.startsWith('charla_session='))!
      .split(';')[0]!;
    const asMarketer = await fetch(`${app.url}/api/catalogue`, { headers: { cookie } });
    expect(asMarketer.status).toBe(403);
    const unanswered = await fetch(`${app.url}/api/nlu/unanswered`, { headers: { cookie } });
    expect(unanswered.status).toBe(403);

    // Every studio route is documented in the OpenAPI document.
    const openapi = (await api('GET', '/api/openapi.json')).body;
    expect(Object.keys(openapi.paths)).toEqual(
      expect.arrayContaining([
        '/api/catalogue/draft/intents/{name}',
        '/api/catalogue/publish',
        '/api/catalogue/rollback',
        '/api/nlu/unanswered/add',
      ]),
    );
  });

  it('refuses an invalid intent with details that name each field, in the admin language', async () => {
    const bad = {
      action: { type: 'reply' },
      training: { es: [], en: ['hi'] },
      answers: { es: ['Hola'], en: ['Hi'] },
      colour: 'blue',
    };
    const es = await api('PUT', '/api/catalogue/draft/intents/bad_one', bad, {
      'accept-language': 'es-ES,es;q=0.9,en;q=0.5',
    });
    expect(es.status).toBe(400);
    expect(es.body.error.code).toBe('invalid_definition');
    const paths = es.body.error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['action.type', 'training.es', 'colour']));
    const byPath = Object.fromEntries(
      es.body.error.details.map((d: { path: string; message: string }) => [d.path, d.message]),
    );
    expect(byPath['training.es']).toBe('Añade al menos una frase.');
    expect(byPath['action.type']).toMatch(/answer.*flow.*builtin/);
    expect(byPath.colour).toMatch(/^Campo desconocido: colour/);

    const badName = await api(
      'PUT',
      '/api/catalogue/draft/intents/Bad-Name',
      { ...giftCards, name: undefined },
      {
        'accept-language': 'en-GB',
      },
    );
    expect(badName.status).toBe(400);
    expect(badName.body.error.details).toEqual(
      expect.arrayContaining([
        {
          path: 'name',
          message: expect.stringMatching(/lower-case letters, digits and underscores/),
        },
      ]),
    );
    const slot = {
      name: 'email',
      type: 'email',
      label: { es: 'Email', en: 'Email' },
      prompt: { es: '¿Email?' },
      reprompt: { es: 'Otra vez', en: 'Again' },
    };
    const completion = {
      action: 'create_case',
      messages: { es: 'Caso {ticket}', en: 'Case {ticket}' },
    };
    const en = { 'accept-language': 'en' };
    const flow = await api(
      'PUT',
      '/api/catalogue/draft/flows/broken',
      { slots: [slot], completion },
      en,
    );
    expect(flow.status).toBe(400);
    expect(flow.body.error.details).toEqual([
      { path: 'slots.0.prompt.en', message: 'This field is missing: add it (a text).' },
    ]);
    // Cross-field rules run once the shape is right.
    const fixed = { ...slot, prompt: { es: '¿Email?', en: 'Email?' } };
    const placeholder = await api(
      'PUT',
      '/api/catalogue/draft/flows/broken',
      { slots: [fixed], completion },
      en,
    );
    expect(placeholder.body.error.details).toEqual([
      {
        path: 'completion.messages',
        message: expect.stringMatching(/^Placeholder \{ticket\} is not a slot/),
      },
    ]);
    // Nothing was saved.
    const draft = await api('GET', '/api/catalogue/draft');
    expect(draft.body.revision).toBe(0);
  });

  it('saves a new intent in the draft (audited) and the draft model understands it', async () => {
    const live = await api('POST', '/api/nlu/parse', { text: '¿vendéis tarjetas regalo?' });
    expect(live.body.intent).not.toBe('gift_cards');

    const saved = await api('PUT', '/api/catalogue/draft/intents/gift_cards', giftCards);
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ changed: true, revision: 1, baseVersion: 1 });
    expect(saved.body.intents.find((i: { name: string }) => i.name === 'gift_cards')).toMatchObject(
      {
        training: giftCards.training,
      },
    );
    const audit = await AuditEntry.findOne({
      action: 'catalogue.draft_update',
      targetId: 'gift_cards',
    }).lean();
    expect(audit).toMatchObject({ actor: 'admin-token', targetType: 'intent' });
    expect(audit?.after).toMatchObject({ phrases: { es: 5, en: 5 } });

    const tested = await api('POST', '/api/catalogue/draft/test', {
      text: 'me gustaría una tarjeta regalo',
    });
    expect(tested.status).toBe(200);
    expect(tested.body).toMatchObject({ intent: 'gift_cards', language: 'es' });
    expect(tested.body.confidence).toBeGreaterThan(0.35);
    expect(tested.body.alternatives.length).toBeGreaterThan(0);
    expect(tested.body.alternatives[0].confidence).toBeLessThan(tested.body.confidence);
    expect(tested.body.alternatives.map((a: { intent: string }) => a.intent)).not.toContain(
      'gift_cards',
    );
    const withDate = await api('POST', '/api/catalogue/draft/test', {
      text: 'call me tomorrow at 10',
      locale: 'en',
    });
    expect(withDate.body.entities.dates).toHaveLength(1);
  });

  it('chats with the draft through the engine in a sandbox that writes no CRM records', async () => {
    const first = await api('POST', '/api/catalogue/draft/chat', {
      text: 'quiero comprar una tarjeta regalo para mi madre',
    });
    expect(first.status).toBe(200);
    expect(first.body.replies.map((r: { text: string }) => r.text)).toEqual([
      giftCards.answers.es[0],
    ]);
    expect(first.body.nlu).toMatchObject({ intent: 'gift_cards', language: 'es' });
    const sessionId: string = first.body.sessionId;
    const conversation = await Conversation.findById(sessionId).lean();
    expect(conversation?.channel).toBe('studio');
    expect(await Message.countDocuments({ conversationId: conversation!._id })).toBe(0);
    // Sandbox chats stay out of the console's conversation list.
    const listed = await api('GET', '/api/conversations');
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((c: { id: string }) => c.id)).not.toContain(sessionId);

    // A flow runs across turns in the same session; asking for a person hands over on paper only.
    const lead = await api('POST', '/api/catalogue/draft/chat', {
      sessionId,
      text: 'me interesa contratar, quiero que me contactéis',
    });
    expect(lead.body.flow).toMatchObject({ name: 'lead_capture' });
    const human = await api('POST', '/api/catalogue/draft/chat', {
      sessionId,
      text: 'quiero hablar con una persona',
    });
    expect(human.body.effects).toEqual([{ type: 'escalate', reason: 'customer_request' }]);
    expect((await Conversation.findById(sessionId).lean())?.status).toBe('bot');

    const en = await api('POST', '/api/catalogue/draft/chat', { text: 'do you sell gift cards?' });
    expect(en.body.sessionId).not.toBe(sessionId);
    expect(en.body.replies[0].text).toBe(giftCards.answers.en[0]);
  });

  it('refuses to publish a draft whose intent starts a missing flow, naming it', async () => {
    const dangling = await api(
      'PUT',
      '/api/catalogue/draft/intents/book_visit',
      {
        action: { type: 'flow', flow: 'visit_booking' },
        training: { es: ['quiero reservar una visita'], en: ['book a visit'] },
      },
      { 'accept-language': 'es' },
    );
    expect(dangling.status).toBe(200);
    expect(dangling.body.problems).toEqual([
      {
        path: 'intents.book_visit.action.flow',
        message: expect.stringMatching(/flujo "visit_booking", que no existe/),
      },
    ]);
    const refused = await api('POST', '/api/catalogue/publish', undefined, {
      'accept-language': 'es',
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('invalid_draft');
    expect(refused.body.error.details[0].path).toBe('intents.book_visit.action.flow');
    expect((await api('GET', '/api/catalogue')).body.version).toBe(1);

    const removed = await api('DELETE', '/api/catalogue/draft/intents/book_visit');
    expect(removed.status).toBe(200);
    expect(removed.body.problems).toEqual([]);
    expect((await api('DELETE', '/api/catalogue/draft/intents/book_visit')).status).toBe(404);
  });
});

describe('bot studio: publish, versions, rollback', () => {
  // A publish cross-validates the whole catalogue (five trainings, src/features/catalogue/report.ts)
  // unless the model cache already holds this catalogue's report: after any change to the
  // shipped phrases or the NLU code that is a few seconds of CPU, minutes on a loaded machine.
  it(
    'publishes the draft as version 2 with a cross-validation report, live at once',
    {
      timeout: 240_000,
    },
    async () => {
      const published = await api('POST', '/api/catalogue/publish');
      expect(published.status).toBe(201);
      expect(published.body.version).toBe(2);
      const report = published.body.report;
      expect(report.folds).toBe(5);
      expect(report.accuracy).toBeGreaterThan(0.5);
      const pricing = report.intents.find((i: { intent: string }) => i.intent === 'pricing');
      expect(pricing.tested).toBe(pricing.phrases.es + pricing.phrases.en);
      expect(pricing.fallbacks).toBeLessThanOrEqual(pricing.tested);
      expect(report.fallbackRate).toBeGreaterThanOrEqual(0);
      expect(report.fallbackRate).toBeLessThan(1 - report.accuracy + 1e-9);
      expect(report.fewPhrases).toEqual(
        expect.arrayContaining([{ intent: 'gift_cards', language: 'es', count: 5, minimum: 10 }]),
      );
      expect(report.duplicates).toEqual(
        expect.arrayContaining([
          { phrase: expect.any(String), intents: ['gift_cards', 'pricing'] },
        ]),
      );
      expect(report.confusions.length).toBeGreaterThan(0);

      // The classifier options were chosen once, at publish: instances train with exactly these.
      const stored = await CatalogueVersionModel.findById(2).lean<{ classifier?: object }>();
      expect(stored?.classifier).toEqual(expect.any(Object));
      const { catalogue, nlu } = app.charla.services;
      expect(catalogue.version).toBe(2);
      expect(nlu.parse('¿vendéis tarjetas regalo?').intent).toBe('gift_cards');
      const draft = await api('GET', '/api/catalogue/draft');
      expect(draft.body).toMatchObject({ baseVersion: 2, changed: false });
      const audit = await AuditEntry.findOne({ action: 'catalogue.publish', targetId: '2' }).lean();
      expect(audit?.actor).toBe('admin-token');
    },
  );

  it('lists versions and diffs a version against the previous one', async () => {
    const versions = await api('GET', '/api/catalogue/versions');
    expect(versions.body.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    expect(versions.body[0]).toMatchObject({
      publishedBy: 'admin-token',
      summary: { changes: { added: 1, removed: 0, changed: 0 } },
    });
    expect(versions.body[1].publishedBy).toBe('seed');
    const diff = await api('GET', '/api/catalogue/versions/2/diff');
    expect(diff.body).toMatchObject({
      version: 2,
      previous: 1,
      intents: {
        added: [{ name: 'gift_cards', phrases: { es: 5, en: 5 } }],
        removed: [],
        changed: [],
      },
      flows: { added: [], removed: [], changed: [] },
    });
    expect((await api('GET', '/api/catalogue/versions/9/diff')).status).toBe(404);
  });

  it('exports the live catalogue as a zip of YAML files that validate', async () => {
    const res = await fetch(`${app.url}/api/catalogue/export`, { headers: app.admin });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/zip');
    expect(res.headers.get('content-disposition')).toMatch(/charla-catalogue-v2\.zip/);
    const files = unzipSync(new Uint8Array(await res.arrayBuffer()));
    const names = Object.keys(files);
    expect(names).toEqual(
      expect.arrayContaining(['intents/gift_cards.yaml', 'flows/lead_capture.yaml']),
    );
    const gift = intentSchema.parse(parseYaml(strFromU8(files['intents/gift_cards.yaml']!)));
    expect(gift.answers?.en).toEqual(giftCards.answers.en);
  });
});

describe('bot studio: unanswered', () => {
  const ago = (days: number) => new Date(Date.now() - days * 86_400_000);
  const stored: Record<string, Types.ObjectId> = {};

  async function inbound(key: string, text: string, nlu: object, extra: object = {}) {
    stored[key] = await storeInbound({ text, nlu, extra });
  }

  beforeAll(async () => {
    const miss = (language: string) => missed(language, 0.12);
    await inbound('park1', '¿tenéis aparcamiento para clientes?', miss('es'));
    await inbound('park2', 'tenéis aparcamiento para los clientes', miss('es'));
    await inbound('park3', '¿hay aparcamiento para clientes?', miss('es'));
    await inbound('refund1', 'what is your refund policy', miss('en'));
    await inbound('refund2', 'refund policy?', miss('en'));
    await inbound('email', 'ana@example.com', miss('es'));
    await inbound('sure', 'What are your prices', {
      intent: 'pricing',
      confidence: 0.93,
      language: 'en',
    });
    await inbound('old', '¿tenéis aparcamiento para clientes?', miss('es'), { createdAt: ago(40) });
    await storeInbound({
      text: '¿tenéis aparcamiento para clientes?',
      nlu: miss('es'),
      channel: 'studio',
    });
  });

  it('groups the messages the bot missed by similarity, with counts and the closest intent', async () => {
    const res = await api('GET', '/api/nlu/unanswered');
    expect(res.status).toBe(200);
    const groups = res.body.groups as Array<{
      count: number;
      messageIds: string[];
      language: string;
      closestIntent: unknown;
    }>;
    expect(groups.map((g) => g.count)).toEqual([3, 2]);
    expect(groups[0]!.messageIds.sort()).toEqual(
      [stored.park1, stored.park2, stored.park3].map(String).sort(),
    );
    expect(groups[0]!.language).toBe('es');
    expect(groups[1]!.messageIds.sort()).toEqual(
      [stored.refund1, stored.refund2].map(String).sort(),
    );
    expect(groups[1]!.language).toBe('en');
    expect(groups[0]!.closestIntent).toMatchObject({ intent: expect.any(String) });

    const english = await api('GET', '/api/nlu/unanswered?language=en');
    expect(english.body.groups.map((g: { count: number }) => g.count)).toEqual([2]);
    const older = await api(
      'GET',
      `/api/nlu/unanswered?from=${ago(45).toISOString()}&to=${ago(35).toISOString()}`,
    );
    expect(older.body.groups.map((g: { count: number }) => g.count)).toEqual([1]);
    const tooLong = await api('GET', `/api/nlu/unanswered?from=${ago(200).toISOString()}`);
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.message).toMatch(/at most 92 days/);
  });

  it('adds a group as training phrases of a draft intent and dismisses another', async () => {
    const groups = (await api('GET', '/api/nlu/unanswered')).body.groups;
    const added = await api('POST', '/api/nlu/unanswered/add', {
      messageIds: groups[0].messageIds,
      // Not `location`: the shipped catalogue has one of these phrases there already.
      intent: 'pricing',
      language: 'es',
    });
    expect(added.status).toBe(200);
    expect(added.body.added).toBe(3);
    const draft = await api('GET', '/api/catalogue/draft');
    const pricing = draft.body.intents.find((i: { name: string }) => i.name === 'pricing');
    expect(pricing.training.es).toEqual(
      expect.arrayContaining([
        '¿tenéis aparcamiento para clientes?',
        '¿hay aparcamiento para clientes?',
      ]),
    );
    const missing = await api('POST', '/api/nlu/unanswered/add', {
      text: 'algo',
      intent: 'no_such_intent',
      language: 'es',
    });
    expect(missing.status).toBe(404);

    const dismissed = await api('POST', '/api/nlu/unanswered/dismiss', {
      ids: groups[1].messageIds,
    });
    expect(dismissed.body.dismissed).toBe(2);
    expect((await api('GET', '/api/nlu/unanswered')).body.groups).toEqual([]);
    expect(await AuditEntry.countDocuments({ action: 'nlu.unanswered_dismiss' })).toBe(1);
  });
});

describe('bot studio: FAQ import', () => {
  it('creates and updates answer intents from CSV, reporting each row', async () => {
    const csv = [
      'intent,question_es,question_en,answer_es,answer_en',
      'shipping_costs,¿Cuánto cuesta el envío?|¿el envío es gratis?,How much is shipping?|Is shipping free?,El envío es gratis desde 50 €.,Shipping is free from €50.',
      'shipping_costs,¿cuánto tarda el envío?,How long does shipping take?,,',
      ',"¿Aceptáis PayPal, Bizum?",Do you accept PayPal?,"Sí, PayPal y Bizum.","Yes, PayPal and Bizum."',
      'pricing,¿cuánto vale al mes?,how much per month,Desde 19 € al mes.,From €19 a month.',
      'half_done,¿solo en español?,,Solo español,',
    ].join('\n');
    const res = await api('POST', '/api/catalogue/draft/faq-import', csv, {
      'content-type': 'text/csv',
      'accept-language': 'en',
    });
    expect(res.status).toBe(200);
    expect(res.body.created.sort()).toEqual(['faq_do_you_accept_paypal', 'shipping_costs']);
    expect(res.body.updated).toEqual(['pricing']);
    expect(res.body.rows.map((r: { line: number; status: string }) => [r.line, r.status])).toEqual([
      [2, 'created'],
      [3, 'created'],
      [4, 'created'],
      [5, 'updated'],
      [6, 'error'],
    ]);
    expect(res.body.rows[4].errors).toEqual(
      expect.arrayContaining([{ path: 'training.en', message: 'Add at least one phrase.' }]),
    );
    const draft = (await api('GET', '/api/catalogue/draft')).body;
    const shipping = draft.intents.find((i: { name: string }) => i.name === 'shipping_costs');
    expect(shipping).toMatchObject({
      action: { type: 'answer' },
      training: {
        es: ['¿Cuánto cuesta el envío?', '¿el envío es gratis?', '¿cuánto tarda el envío?'],
      },
      answers: { es: ['El envío es gratis desde 50 €.'], en: ['Shipping is free from €50.'] },
    });
    const pricing = draft.intents.find((i: { name: string }) => i.name === 'pricing');
    expect(pricing.answers.en).toEqual(['From €19 a month.']);
    expect(pricing.training.en).toContain('how much per month');
    expect(draft.intents.find((i: { name: string }) => i.name === 'half_done')).toBeUndefined();

    const broken = await api(
      'POST',
      '/api/catalogue/draft/faq-import',
      'intent,question_es\nx,"open',
      {
        'content-type': 'text/csv',
      },
    );
    expect(broken.status).toBe(400);
    expect(broken.body.error.code).toBe('invalid_csv');
  });

  it('rolls back to version 1 as a new version 3, on the running instance too', async () => {
    const res = await api('POST', '/api/catalogue/rollback', { version: 1 });
    expect(res.status).toBe(201);
    expect(res.body.version).toBe(3);
    const { catalogue, nlu } = app.charla.services;
    expect(catalogue.version).toBe(3);
    expect(catalogue.intents.map((i) => i.name)).not.toContain('gift_cards');
    expect(nlu.parse('¿vendéis tarjetas regalo?').intent).not.toBe('gift_cards');
    const diff = await api('GET', '/api/catalogue/versions/3/diff');
    expect(diff.body.intents.removed).toEqual([{ name: 'gift_cards', phrases: { es: 5, en: 5 } }]);
    const versions = await api('GET', '/api/catalogue/versions');
    expect(versions.body[0].summary.rolledBackFrom).toBe(1);
    expect(await AuditEntry.countDocuments({ action: 'catalogue.rollback', targetId: '3' })).toBe(
      1,
    );
    expect((await api('POST', '/api/catalogue/rollback', { version: 99 })).status).toBe(404);
    // Unpublished edits survive a rollback.
    const draft = (await api('GET', '/api/catalogue/draft')).body;
    expect(draft.changed).toBe(true);
    expect(draft.intents.map((i: { name: string }) => i.name)).toContain('shipping_costs');
  });
});
