/** The WhatsApp Cloud adapter in the shared conformance suite, against the fake Graph API. */
import { describeChannelConformance, type ChannelHarness } from '../conformance.js';
import {
  postWebhook,
  startFakeGraph,
  whatsappWebhook,
  type FakeGraph,
} from '../../fakes/whatsapp-graph.js';
import { startTestApp, type TestApp } from '../../support/app.js';

const TOKEN = 'conformance-graph-token';
const PHONE_ID = '2233445566';
const SECRET = 'conformance-app-secret';

function whatsappHarness(): ChannelHarness {
  let graph: FakeGraph;
  let app: TestApp;
  return {
    channel: 'whatsapp',
    async start() {
      graph = await startFakeGraph({ token: TOKEN, phoneId: PHONE_ID });
      app = await startTestApp({
        WHATSAPP_CLOUD_TOKEN: TOKEN,
        WHATSAPP_CLOUD_PHONE_ID: PHONE_ID,
        WHATSAPP_APP_SECRET: SECRET,
        WHATSAPP_VERIFY_TOKEN: 'conformance-verify',
        WHATSAPP_GRAPH_URL: graph.url,
      });
    },
    async stop() {
      await app?.stop();
      await graph?.close();
    },
    async deliver({ id, text, userId, signed = true, badSignature = false }) {
      const payload = whatsappWebhook({
        phoneId: PHONE_ID,
        from: userId ?? '34600000000',
        messages: [{ id: `wamid.${id}`, type: 'text', text: { body: text } }],
      });
      const secret = !signed ? null : badSignature ? `${SECRET}-wrong` : SECRET;
      const res = await postWebhook(app.url, payload, secret);
      return { status: res.status };
    },
    sent() {
      return graph.delivered().map((r) => {
        const body = r.body as {
          to?: string;
          text?: { body?: string };
          interactive?: { body?: { text?: string } };
        };
        return {
          text: body.text?.body ?? body.interactive?.body?.text ?? '',
          to: body.to ?? '',
          raw: r.body,
        };
      });
    },
    failNext(kind, count = 1) {
      if (count === 0) return graph.clearScript();
      for (let i = 0; i < count; i++) {
        graph.script(
          kind === 'rate-limit'
            ? {
                status: 429,
                headers: { 'retry-after': '1' },
                body: { error: { message: '(#80007) Rate limit issues', code: 80007 } },
              }
            : {
                status: 400,
                body: { error: { message: '(#131026) Message undeliverable', code: 131026 } },
              },
        );
      }
    },
    app: () => app,
  };
}

describeChannelConformance('WhatsApp Cloud API', whatsappHarness);
