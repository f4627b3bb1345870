import { describe, expect, it } from 'vitest';
import type { MessageDoc } from '../../../../src/kernel/db/models/message.js';
import { replyIds } from '../../../../src/kernel/db/turn-ids.js';
import { replayGuard } from '../../../../src/pipeline/engine/stages/replay.js';
import { startTurn } from '../../../../src/pipeline/engine/engine.js';
import { conversation, harness, message, runStage, turnOf } from './support.js';

describe('replay-guard stage', () => {
  it('a message whose turn was saved gets only its unsent replies and its hand-over again', async () => {
    const h = await harness({ nlu: { '¿precio?': { intent: 'pricing', confidence: 0.9 } } });
    const c = conversation(h, { locale: 'en' });
    const msg = message(c, '¿precio?');
    const [sent, pending] = replyIds(msg._id, 2);
    h.store.messages.set(sent!.toHexString(), { _id: sent, status: 'sent' } as MessageDoc);
    h.store.messages.set(pending!.toHexString(), { _id: pending, status: 'pending' } as MessageDoc);
    h.store.put({ ...c, lastTurn: { messageId: msg._id, replies: 2, escalate: 'flow' } });

    const turn = startTurn(h.env, msg, (await h.store.find(c._id))!);
    const { passedOn } = await runStage(replayGuard, turn);

    expect(passedOn).toBe(false);
    expect(turn.result?.replies.map((m) => m._id.toHexString())).toEqual([pending!.toHexString()]);
    expect(turn.result?.delivered).toEqual([sent!.toHexString()]);
    expect(h.escalator.escalated).toEqual(['flow']);
    // The NLU record is parsed again; the language is the conversation's.
    expect(turn.result?.nlu).toEqual({ intent: 'pricing', confidence: 0.9, language: 'en' });
    expect(h.store.writes).toEqual([]);
  });

  it('a new message goes on, and nothing is escalated', async () => {
    const h = await harness();
    const c = conversation(h);
    const earlier = message(c, 'antes');
    h.store.put({ ...c, lastTurn: { messageId: earlier._id, replies: 1, escalate: 'flow' } });
    const turn = await turnOf(h, c, 'hola');
    expect((await runStage(replayGuard, turn)).passedOn).toBe(true);
    expect(h.escalator.escalated).toEqual([]);
  });
});
