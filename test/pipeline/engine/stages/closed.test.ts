import { describe, expect, it } from 'vitest';
import { closedConversation } from '../../../../src/pipeline/engine/stages/closed.js';
import { conversation, harness, runStage, turnOf } from './support.js';

describe('closed-conversation stage', () => {
  it('a message routed to a closed conversation is left for the worker to move', async () => {
    const h = await harness();
    const c = conversation(h, { status: 'closed' });
    const turn = await turnOf(h, c, 'hola');
    const { passedOn } = await runStage(closedConversation, turn);
    expect(passedOn).toBe(false);
    expect(turn.result).toMatchObject({ closed: true, replies: [] });
    expect(turn.result?.conversation?._id.equals(c._id)).toBe(true);
    expect(h.store.writes).toEqual([]);
  });

  it('an open conversation goes on', async () => {
    const h = await harness();
    const turn = await turnOf(h, conversation(h), 'hola');
    expect((await runStage(closedConversation, turn)).passedOn).toBe(true);
    expect(turn.result).toBeUndefined();
  });
});
