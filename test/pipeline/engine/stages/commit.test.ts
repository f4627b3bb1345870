import { Types } from 'mongoose';
import { describe, expect, it } from 'vitest';
import { replyIds } from '../../../../src/kernel/db/turn-ids.js';
import { commit } from '../../../../src/pipeline/engine/stages/commit.js';
import type { Stage, Turn } from '../../../../src/pipeline/engine/turn.js';
import { conversation, harness, turnOf } from './support.js';

/** Runs commit around a stage that computes `compute` into the turn's plan. */
async function commitAround(turn: Turn, compute?: (turn: Turn) => void) {
  const later: Stage = {
    name: 'later',
    run: async (t) => compute?.(t),
  };
  await commit.run(turn, () => later.run(turn, async () => undefined));
}

describe('commit stage', () => {
  it('writes nothing when no later stage opened a plan (a relayed message)', async () => {
    const h = await harness();
    const turn = await turnOf(h, conversation(h), 'hola');
    await commitAround(turn);
    expect(h.store.writes).toEqual([]);
    expect(h.outbox.stored).toEqual([]);
    expect(turn.result).toBeUndefined();
  });

  it('stores replies under ids derived from the message, then the state stamped with lastTurn, then escalates', async () => {
    const h = await harness();
    const c = conversation(h);
    const turn = await turnOf(h, c, 'quiero hablar con alguien');
    await commitAround(turn, (t) => {
      t.plan = {
        set: { locale: 'es', flow: null },
        replies: [{ text: 'uno' }, { text: 'dos' }],
        intentSeen: 'human_agent',
        escalate: 'customer_request',
        sentiment: -0.5,
      };
    });
    const ids = replyIds(turn.message._id, 2);
    expect(h.outbox.stored).toHaveLength(1);
    expect(h.outbox.stored[0]!.ids).toEqual(ids);
    expect(h.outbox.stored[0]!.drafts.map((d) => d.text)).toEqual(['uno', 'dos']);
    const saved = (await h.store.find(c._id))!;
    expect(saved.lastTurn).toEqual({
      messageId: turn.message._id,
      replies: 2,
      escalate: 'customer_request',
    });
    expect(saved.intentsSeen).toEqual(['human_agent']);
    expect(h.escalator.escalated).toEqual(['customer_request']);
    expect(h.crashes).toEqual(['after-crm', 'after-replies', 'after-state', 'after-escalate']);
    expect(turn.result?.replies.map((r) => r._id)).toEqual(ids);
    expect(turn.result?.sentiment).toBe(-0.5);
    expect(turn.result?.conversation?.lastTurn?.messageId).toEqual(turn.message._id);
  });

  it('a crash after the replies leaves the conversation unchanged, so a replay recomputes the turn', async () => {
    const h = await harness({ crashAt: 'after-replies' });
    const c = conversation(h);
    const turn = await turnOf(h, c, 'hola');
    await expect(
      commitAround(turn, (t) => {
        t.plan = { set: { locale: 'en' }, replies: [{ text: 'hi' }], escalate: 'flow' };
      }),
    ).rejects.toThrow('crash at after-replies');
    expect(h.outbox.stored).toHaveLength(1);
    expect(h.store.writes).toEqual([]);
    expect((await h.store.find(c._id))!.locale).toBe('es');
    expect(h.escalator.escalated).toEqual([]);
  });

  it('replies follow a merged contact, and the result carries the survivor', async () => {
    const h = await harness();
    const c = conversation(h);
    const survivor = new Types.ObjectId();
    const turn = await turnOf(h, c, 'ana@example.com');
    await commitAround(turn, (t) => {
      t.plan = { set: {}, replies: [{ text: 'gracias' }], contactId: survivor };
    });
    expect(h.outbox.stored[0]!.contactId).toEqual(survivor);
    expect(turn.result?.conversation?.contactId).toEqual(survivor);
  });

  it('an outbox without store (the studio sandbox) gets the replies through send', async () => {
    const h = await harness();
    delete h.outbox.store;
    const turn = await turnOf(h, conversation(h), 'hola');
    await commitAround(turn, (t) => {
      t.plan = { set: {}, replies: [{ text: 'hola' }] };
    });
    expect(h.outbox.sent).toEqual([[{ text: 'hola' }]]);
    expect(turn.result?.replies).toEqual([]);
    expect(h.store.writes).toEqual(['commitTurn']);
  });
});
