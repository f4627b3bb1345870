import { Types } from 'mongoose';
import { describe, expect, it } from 'vitest';
import { ratingAnswer } from '../../../../src/pipeline/engine/stages/rating.js';
import { conversation, harness, runStage, texts, turnOf } from './support.js';

const future = new Date(Date.now() + 3600_000);

describe('rating-answer stage', () => {
  it('a 1–5 answer is stored on the case and thanked, with no NLU', async () => {
    const h = await harness();
    const caseId = new Types.ObjectId();
    const c = conversation(h, { awaitingRating: { caseId, until: future } });
    const turn = await turnOf(h, c, '4');
    const { passedOn } = await runStage(ratingAnswer, turn);
    expect(passedOn).toBe(false);
    expect(h.records.calls).toEqual([
      { action: 'recordRating', args: [caseId, 4, turn.message._id] },
    ]);
    expect(texts(turn)).toEqual(['¡Gracias por tu valoración (4 de 5)! Nos ayuda a mejorar.']);
    expect(turn.plan?.set).toMatchObject({ awaitingRating: null, lastMessageText: '4' });
    expect(turn.nlu.intent).toBeNull();
    expect(h.nlu.parsed).toEqual([]);
  });

  it('anything else goes on; staff-owned conversations clear the request at once', async () => {
    const h = await harness();
    const assigned = conversation(h, {
      status: 'assigned',
      awaitingRating: { caseId: new Types.ObjectId(), until: future },
    });
    expect((await runStage(ratingAnswer, await turnOf(h, assigned, 'otra cosa'))).passedOn).toBe(
      true,
    );
    expect(h.store.writes).toEqual(['clearAwaitingRating']);
    expect((await h.store.find(assigned._id))!.awaitingRating).toBeNull();

    const bot = conversation(h, {
      awaitingRating: { caseId: new Types.ObjectId(), until: future },
    });
    expect((await runStage(ratingAnswer, await turnOf(h, bot, 'otra cosa'))).passedOn).toBe(true);
    // A bot turn clears it in its own commit (the understand stage puts it in the plan).
    expect(h.store.writes).toEqual(['clearAwaitingRating']);
    expect(h.records.calls).toEqual([]);
  });

  it('an expired request is not answered by a number', async () => {
    const h = await harness();
    const c = conversation(h, {
      awaitingRating: { caseId: new Types.ObjectId(), until: new Date(Date.now() - 1000) },
    });
    expect((await runStage(ratingAnswer, await turnOf(h, c, '5'))).passedOn).toBe(true);
    expect(h.records.calls).toEqual([]);
  });
});
