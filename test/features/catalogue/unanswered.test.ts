/**
 * "What the bot missed" lists only free questions the bot could not place: messages their turn
 * marked as answers to the bot (a slot, a CSAT rating, a button pick, a clarification) never
 * show, and personal data in the texts shown is masked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnswerKind } from '../../../src/kernel/vocabulary.js';
import { startTestApp, type TestApp } from '../../support/app.js';
import { missed, storeInbound } from '../../support/inbound-messages.js';

describe('what the bot missed: answers left out, personal data masked', () => {
  let app: TestApp;
  const inbound = (text: string, language: string, answerTo?: AnswerKind) =>
    storeInbound({ text, nlu: missed(language, 0.05), extra: answerTo ? { answerTo } : {} });

  beforeAll(async () => {
    app = await startTestApp();
    await inbound('Ana García', 'es', 'slot');
    await inbound('Acme Widgets Ltd', 'en', 'slot');
    await inbound('4', 'es', 'rating');
    await inbound('Talk to a person', 'en', 'choice');
    await inbound('Ver el estado de una incidencia', 'es', 'clarification');
    await inbound(
      '¿Tenéis wifi para clientes? Soy Marta Ruiz, mi móvil es 612 345 678 y mi correo marta@ruiz.es',
      'es',
    );
  });
  afterAll(async () => app?.stop());

  it('lists the free question only, masked', async () => {
    const res = await fetch(`${app.url}/api/nlu/unanswered`, { headers: app.admin });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      groups: Array<{ count: number; examples: Array<{ text: string }> }>;
    };
    expect(body.groups).toHaveLength(1);
    expect(body.groups[0]?.examples.map((e) => e.text)).toEqual([
      '¿Tenéis wifi para clientes? Soy [nombre], mi móvil es [teléfono] y mi correo [correo]',
    ]);
  });
});
