/** The runner and the engine's stage list: order, ending the chain, and `next` called once. */
import { describe, expect, it } from 'vitest';
import { runStages } from '../../../../src/pipeline/engine/chain.js';
import { ENGINE_STAGES } from '../../../../src/pipeline/engine/engine.js';
import type { Stage, Turn } from '../../../../src/pipeline/engine/turn.js';

const turn = {} as Turn;

function recording(log: string[], name: string, passOn = true): Stage {
  return {
    name,
    async run(_turn, next) {
      log.push(`${name}:before`);
      if (passOn) await next();
      log.push(`${name}:after`);
    },
  };
}

describe('runStages', () => {
  it('runs stages in order, each around the rest, and stops where a stage does not pass on', async () => {
    const log: string[] = [];
    await runStages([recording(log, 'a'), recording(log, 'b', false), recording(log, 'c')], turn);
    expect(log).toEqual(['a:before', 'b:before', 'b:after', 'a:after']);
  });

  it('refuses a stage that calls next twice', async () => {
    const twice: Stage = {
      name: 'twice',
      async run(_turn, next) {
        await next();
        await next();
      },
    };
    await expect(runStages([twice], turn)).rejects.toThrow(/twice called next\(\) twice/);
  });

  it('an error in a stage reaches the caller (the inbound worker retries the message)', async () => {
    const failing: Stage = {
      name: 'failing',
      run: async () => {
        throw new Error('boom');
      },
    };
    const log: string[] = [];
    await expect(runStages([recording(log, 'a'), failing], turn)).rejects.toThrow('boom');
    expect(log).toEqual(['a:before']);
  });
});

describe('the engine stages', () => {
  it('run in the documented order (src/pipeline/README.md)', () => {
    expect(ENGINE_STAGES.map((s) => s.name)).toEqual([
      'closed-conversation',
      'replay-guard',
      'commit',
      'rating-answer',
      'human-owns-it',
      'understand',
      'flow-step',
      'clarify',
      'act',
    ]);
  });
});
