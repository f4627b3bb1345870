/**
 * Customer text reaches staff in Slack as text, never as markup: a web chat visitor who writes
 * `<!channel> <https://evil.example|Verify>` and is escalated pings nobody and shows staff no
 * disguised link, in the queue item and in the thread relay.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Conversation } from '../../../src/kernel/db/models/conversation.js';
import { sendSlackAction, type SlackCall } from '../../fakes/slack-api.js';
import { eventually } from '../../support/app.js';
import { ESCALATION_CHANNEL, startSlackRig, type SlackRig } from './slack-rig.js';

const HOSTILE = '<!channel> <https://evil.example|Verify>';
const ESCAPED = '&lt;!channel&gt; &lt;https://evil.example|Verify&gt;';
/** Slack markup a customer must never get through. */
const MARKUP = /<!channel>|<!here>|<https:\/\/evil\.example/;
const ANA = { id: 'U_ANA', name: 'ana' };

let rig: SlackRig;

beforeAll(async () => {
  rig = await startSlackRig({ ESCALATION_SLA_MINUTES: '600' });
  rig.slackApi.users.set(ANA.id, { id: ANA.id, name: 'Ana' });
});
afterAll(() => rig?.stop());

const everythingSentToSlack = () =>
  rig.slackApi.calls.map((c: SlackCall) => JSON.stringify(c.args)).join('\n');

it('escapes a hostile web chat message in the queue item and in the thread relay', async () => {
  const { web, slackApi, app } = rig;
  const s = await web.createSession('es');
  expect((await web.post(s, { text: HOSTILE })).status).toBe(202);
  expect((await web.post(s, { text: 'quiero hablar con una persona' })).status).toBe(202);

  const item = await eventually(async () => {
    const c = await Conversation.findById(s.conversationId).lean();
    if (!c?.escalation?.itemTs) return undefined;
    return slackApi
      .callsTo('chat.postMessage')
      .find((x) => x.args.channel === ESCALATION_CHANNEL && !x.args.thread_ts);
  });
  const rendered = JSON.stringify(item.args);
  expect(rendered).toContain(ESCAPED);
  expect(rendered).not.toMatch(MARKUP);
  expect(item.args).toMatchObject({ unfurl_links: 'false', unfurl_media: 'false' }); // form-encoded

  // Claimed, the customer writes again: the relay into the item's thread is escaped too.
  const ts = (await Conversation.findById(s.conversationId).lean())?.escalation?.itemTs;
  const claim = await sendSlackAction(app.url, {
    actionId: 'charla_claim',
    value: s.conversationId,
    user: ANA,
    channel: ESCALATION_CHANNEL,
    messageTs: String(ts),
  });
  expect(claim.status).toBe(200);
  await eventually(
    async () => (await Conversation.findById(s.conversationId).lean())?.status === 'assigned',
  );
  expect((await web.post(s, { text: `${HOSTILE} &lt;b&gt;` })).status).toBe(202);
  const relay = await eventually(async () =>
    slackApi
      .callsTo('chat.postMessage')
      .find((x) => x.args.thread_ts === String(ts) && String(x.args.text).includes('evil')),
  );
  expect(relay.args.text).toContain(`${ESCAPED} &amp;lt;b&amp;gt;`);
  expect(everythingSentToSlack()).not.toMatch(MARKUP);
});
