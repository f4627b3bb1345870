/**
 * WhatsApp approved templates through the Cloud adapter against the fake Graph: the business
 * account's list is read page by page (GET /{waba-id}/message_templates) with each template's
 * status, body and number of placeholders; a template message goes out with type `template`, its
 * language and the body's values in order; without WHATSAPP_WABA_ID there is no list.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelAdapter } from '../../../src/kernel/contracts/channel-adapter.js';
import { startTestApp, type TestApp } from '../../support/app.js';
import { startFakeGraph, type FakeGraph } from '../../fakes/whatsapp-graph.js';

const TOKEN = 'graph-token-templates';
const PHONE_ID = '1098700';
const WABA_ID = '4455667788';

const env = (graph: FakeGraph, waba: boolean) => ({
  WHATSAPP_CLOUD_TOKEN: TOKEN,
  WHATSAPP_CLOUD_PHONE_ID: PHONE_ID,
  WHATSAPP_APP_SECRET: 'secret',
  WHATSAPP_VERIFY_TOKEN: 'verify',
  WHATSAPP_GRAPH_URL: graph.url,
  ...(waba ? { WHATSAPP_WABA_ID: WABA_ID } : {}),
});

describe('WhatsApp message templates', () => {
  let graph: FakeGraph;
  let app: TestApp;
  const adapter = (a: TestApp) => a.charla.services.adapters.get('whatsapp') as ChannelAdapter;

  beforeAll(async () => {
    graph = await startFakeGraph({ token: TOKEN, phoneId: PHONE_ID, wabaId: WABA_ID });
    graph.templates.push(
      {
        name: 'rebajas',
        language: 'es',
        status: 'APPROVED',
        category: 'MARKETING',
        components: [
          { type: 'HEADER', format: 'TEXT', text: 'Rebajas' },
          { type: 'BODY', text: 'Hola {{1}}, tienes un {{2}} de descuento.' },
          { type: 'FOOTER', text: 'Responde BAJA para no recibir más' },
        ],
      },
      {
        name: 'sale',
        language: 'en_US',
        status: 'APPROVED',
        category: 'MARKETING',
        components: [{ type: 'BODY', text: 'Our winter sale is on.' }],
      },
      {
        name: 'pendiente',
        language: 'es',
        status: 'PENDING',
        category: 'MARKETING',
        components: [{ type: 'BODY', text: 'Aún sin aprobar {{1}}' }],
      },
    );
    app = await startTestApp(env(graph, true));
  });
  afterAll(async () => {
    await app?.stop();
    await graph?.close();
  });

  it('reads every page of the business account’s templates', async () => {
    const list = await adapter(app).templates!.list();
    expect(graph.templateReads()).toBe(2);
    expect(list).toEqual([
      {
        name: 'rebajas',
        language: 'es',
        status: 'APPROVED',
        category: 'MARKETING',
        body: 'Hola {{1}}, tienes un {{2}} de descuento.',
        variables: 2,
      },
      {
        name: 'sale',
        language: 'en_US',
        status: 'APPROVED',
        category: 'MARKETING',
        body: 'Our winter sale is on.',
        variables: 0,
      },
      {
        name: 'pendiente',
        language: 'es',
        status: 'PENDING',
        category: 'MARKETING',
        body: 'Aún sin aprobar {{1}}',
        variables: 1,
      },
    ]);
  });

  it('sends a template message with its language and the body’s values in order', async () => {
    const sent = await adapter(app).templates!.send('34600111222', {
      name: 'rebajas',
      language: 'es',
      variables: ['Lucía', '20 %'],
    });
    expect(sent.platformMessageId).toMatch(/^wamid\./);
    const request = graph.delivered('34600111222').at(-1)!;
    expect(request.authorization).toBe(`Bearer ${TOKEN}`);
    expect(request.body).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '34600111222',
      type: 'template',
      template: {
        name: 'rebajas',
        language: { code: 'es' },
        components: [
          {
            type: 'body',
            parameters: [
              { type: 'text', text: 'Lucía' },
              { type: 'text', text: '20 %' },
            ],
          },
        ],
      },
    });
    // A Graph refusal (template not approved) is an error, not a silent success.
    graph.script({
      status: 400,
      body: { error: { message: 'Template name does not exist in the translation', code: 132001 } },
    });
    await expect(
      adapter(app).templates!.send('34600111222', { name: 'nope', language: 'es', variables: [] }),
    ).rejects.toThrow(/132001/);
  });

  it('without WHATSAPP_WABA_ID there is no template list', async () => {
    const reads = graph.templateReads();
    const other = await startTestApp(env(graph, false));
    try {
      expect(await adapter(other).templates!.list()).toEqual([]);
      expect(graph.templateReads()).toBe(reads);
    } finally {
      await other.stop();
    }
  });
});
