/**
 * A missed case SLA reaches the Slack staff channel once, through the staff queue's worker and
 * the fake Slack API, with the customer-written subject escaped for mrkdwn.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { checkCaseSlas } from '../../../src/features/cases/sla-monitor.js';
import { createConversationLock } from '../../../src/kernel/redis/conversation-lock.js';
import {
  createEscalationQueue,
  queueCaseAlert,
} from '../../../src/features/escalation/slack/queue.js';
import { createCase } from '../../../src/kernel/db/cases.js';
import { Contact } from '../../../src/kernel/db/models/contact.js';
import { eventually } from '../../support/app.js';
import { ESCALATION_CHANNEL, startSlackRig, type SlackRig } from '../escalation/slack-rig.js';

let rig: SlackRig;
beforeAll(async () => {
  rig = await startSlackRig();
});
afterAll(async () => {
  await rig.stop();
});

it('posts one escalated-text alert per missed target, however often the monitor runs', async () => {
  const contact = await Contact.create({ name: 'Ana' });
  const c = await createCase({
    type: 'support',
    contactId: contact._id,
    subject: '<!channel> pay *now* at <https://evil.example|here>',
  });
  const services = rig.app.charla.services;
  // The app's escalation queue is internal to it: a second handle on the same Redis queue.
  const queue = createEscalationQueue(
    services.redis,
    services.config.queuePrefix,
    services.installId,
  );
  const deps = {
    lock: createConversationLock(services.redis, services.config.queuePrefix),
    alert: (id: string, kind: 'first_response' | 'resolution') => queueCaseAlert(queue, id, kind),
  };
  const opened = new Date((c as { createdAt?: Date }).createdAt!).getTime();
  for (let i = 0; i < 3; i++) await checkCaseSlas(deps, new Date(opened + 25 * 3600_000));
  const posts = await eventually(async () => {
    const mine = rig.slackApi
      .callsTo('chat.postMessage')
      .filter((p) => String(p.args.text).includes(c.number));
    return mine.length > 0 ? mine : undefined;
  });
  await new Promise((r) => setTimeout(r, 500));
  const all = rig.slackApi
    .callsTo('chat.postMessage')
    .filter((p) => String(p.args.text).includes(c.number));
  expect(all).toHaveLength(1);
  expect(posts[0]!.args.channel).toBe(ESCALATION_CHANNEL);
  const text = String(posts[0]!.args.text);
  expect(text).toContain(`El caso ${c.number} ha superado su plazo de primera respuesta`);
  expect(text).not.toContain('<!channel>');
  expect(text).not.toContain('<https://');
  await queue.close();
});
