/**
 * Runs a turn through an ordered list of stages, each getting the turn and a `next` that runs
 * the rest (the way grammY composes middleware): a stage that does not call `next` ends the chain.
 */
import type { Stage, Turn } from './turn.js';

export async function runStages(stages: readonly Stage[], turn: Turn): Promise<void> {
  const step = async (index: number): Promise<void> => {
    const stage = stages[index];
    if (!stage) return;
    let called = false;
    await stage.run(turn, async () => {
      if (called) throw new Error(`engine stage ${stage.name} called next() twice`);
      called = true;
      await step(index + 1);
    });
  };
  await step(0);
}
