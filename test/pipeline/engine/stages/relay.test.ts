import { describe, expect, it } from 'vitest';
import { humanOwnsIt } from '../../../../src/pipeline/engine/stages/relay.js';
import { conversation, harness, runStage, turnOf } from './support.js';

const flow = {
  name: 'open_case',
  slot: 'description',
  slots: {},
  attempts: 0,
  startedAt: new Date(),
};

describe('human-owns-it stage', () => {
  it('relays a message to staff with the mood, sets a running flow aside, and says nothing', async () => {
    const h = await harness();
    const c = conversation(h, { status: 'assigned', flow });
    const turn = await turnOf(h, c, 'esto es horrible, estoy harto');
    const { passedOn } = await runStage(humanOwnsIt, turn);
    expect(passedOn).toBe(false);
    expect(h.escalator.relayed).toHaveLength(1);
    expect(h.escalator.relayed[0]).toMatchObject({
      messageId: turn.message._id.toHexString(),
      activity: { lastMessageText: 'esto es horrible, estoy harto' },
    });
    expect(turn.result?.replies).toEqual([]);
    expect(turn.result?.sentiment).toBeLessThan(0);
    const saved = (await h.store.find(c._id))!;
    expect(saved.flow).toBeNull();
    expect(saved.suspendedFlow).toMatchObject({ name: 'open_case', slot: 'description' });
    expect(turn.plan).toBeUndefined();
  });

  it('handed back by the escalator: the conversation is read again and the turn goes on', async () => {
    const h = await harness();
    const c = conversation(h, { status: 'queued' });
    h.escalator.relayOutcome = 'handed_back';
    const turn = await turnOf(h, c, 'llamadme mañana');
    // The escalator handed it back: the store has it as the bot's now.
    h.store.put({ ...c, status: 'bot' });
    const { passedOn } = await runStage(humanOwnsIt, turn);
    expect(passedOn).toBe(true);
    expect(turn.conversation.status).toBe('bot');
    expect(turn.result).toBeUndefined();
    expect(h.store.writes).toEqual([]);
  });

  it("the bot's own conversations go on without a relay", async () => {
    const h = await harness();
    const turn = await turnOf(h, conversation(h), 'hola');
    expect((await runStage(humanOwnsIt, turn)).passedOn).toBe(true);
    expect(h.escalator.relayed).toEqual([]);
  });
});
