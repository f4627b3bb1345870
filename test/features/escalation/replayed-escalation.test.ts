/**
 * An escalation replayed after a crash between its state write and the staff notification (the
 * engine's replay calls `escalate` again with the turn's reason): the conversation is already
 * queued, yet the Slack queue item must still be posted — once, however often it is replayed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Conversation } from '../../../src/kernel/db/models/conversation.js';
import { settledSession } from '../../channels/webchat/client.js';
import { eventually } from '../../support/app.js';
import { ESCALATION_CHANNEL, startSlackRig, type SlackRig } from './slack-rig.js';

describe('an escalation replayed after a crash', () => {
  let rig: SlackRig;

  beforeAll(async () => {
    rig = await startSlackRig();
  });
  afterAll(() => rig?.stop());

  const itemPosts = (conversationId: string) =>
    rig.slackApi
      .callsTo('chat.postMessage')
      .filter(
        (c) =>
          c.args.channel === ESCALATION_CHANNEL &&
          !c.args.thread_ts &&
          JSON.stringify(c.args.blocks ?? []).includes(conversationId),
      );

  it('posts the queue item the crashed escalation never announced, and only once', async () => {
    const session = await rig.web.createSession('es');
    expect((await rig.web.post(session, { text: 'hola' })).status).toBe(202);
    const settled = await settledSession(session.sessionId);
    const conversationId = settled.conversations[0]!._id.toHexString();

    // What the crashed escalation left behind: queued, no staff notification yet.
    const queuedAt = new Date();
    await Conversation.updateOne(
      { _id: conversationId },
      {
        $set: {
          status: 'queued',
          escalation: { reason: 'customer_request', queuedAt, afterHours: false, pendingRelay: [] },
        },
        $push: { statusHistory: { status: 'queued', at: queuedAt, reason: 'customer_request' } },
      },
    );

    await rig.app.charla.services.escalator.escalate(conversationId, 'customer_request');
    const ts = await eventually(
      async () => (await Conversation.findById(conversationId).lean())?.escalation?.itemTs,
    );
    expect(ts).toBeTruthy();

    // Replayed again: the item exists, nothing new is posted; the episode did not restart.
    await rig.app.charla.services.escalator.escalate(conversationId, 'customer_request');
    await new Promise((r) => setTimeout(r, 500));
    expect(itemPosts(conversationId)).toHaveLength(1);
    const after = (await Conversation.findById(conversationId).lean())!;
    expect(after.escalation?.queuedAt?.getTime()).toBe(queuedAt.getTime());
    expect(after.statusHistory?.filter((h) => h.status === 'queued')).toHaveLength(1);
  });

  it('a different reason on a queued conversation announces nothing', async () => {
    const session = await rig.web.createSession('es');
    expect((await rig.web.post(session, { text: 'hola' })).status).toBe(202);
    const settled = await settledSession(session.sessionId);
    const conversationId = settled.conversations[0]!._id.toHexString();
    const queuedAt = new Date();
    await Conversation.updateOne(
      { _id: conversationId },
      {
        $set: {
          status: 'queued',
          escalation: { reason: 'fallback', queuedAt, afterHours: false, pendingRelay: [] },
        },
      },
    );
    await rig.app.charla.services.escalator.escalate(conversationId, 'customer_request');
    await new Promise((r) => setTimeout(r, 500));
    expect(itemPosts(conversationId)).toHaveLength(0);
  });
});
