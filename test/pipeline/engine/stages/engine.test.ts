/** The whole chain on the in-memory store: what a turn writes, and that a replay recomputes nothing. */
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../../../src/pipeline/engine/engine.js';
import { conversation, harness, message } from './support.js';

describe('the engine on the in-memory store', () => {
  it('a usual FAQ turn: one read, one state write, replies stored once; a replay only delivers', async () => {
    const h = await harness({
      nlu: { '¿horario?': { intent: 'business_hours', confidence: 0.9 } },
    });
    const engine = createEngine({ ...h.env, crashAt: undefined });
    const c = conversation(h);
    const msg = message(c, '¿horario?');

    const result = await engine.handle(msg);
    expect(h.store.writes).toEqual(['commitTurn']);
    expect(result.replies).toHaveLength(1);
    expect(result.nlu).toEqual({ intent: 'business_hours', confidence: 0.9, language: 'es' });
    const saved = (await h.store.find(c._id))!;
    expect(saved.lastTurn).toEqual({ messageId: msg._id, replies: 1 });
    expect(saved.intentsSeen).toEqual(['business_hours']);
    expect(saved.lastIntent).toBe('business_hours');

    // The replies are stored (pending); the replay finds them and stores nothing new.
    for (const r of result.replies) h.store.messages.set(r._id.toHexString(), r);
    const replay = await engine.handle(msg);
    expect(replay.replies.map((r) => r._id)).toEqual(result.replies.map((r) => r._id));
    expect(h.outbox.stored).toHaveLength(1);
    expect(h.store.writes).toEqual(['commitTurn']);
  });

  it('outbound messages and unknown conversations are no turn', async () => {
    const h = await harness();
    const engine = createEngine(h.env);
    const c = conversation(h);
    expect(await engine.handle(message(c, 'hola', { direction: 'out' }))).toEqual({ replies: [] });
    h.store.conversations.clear();
    expect(await engine.handle(message(c, 'hola'))).toEqual({ replies: [] });
    expect(h.store.writes).toEqual([]);
  });
});
