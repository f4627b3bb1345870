/**
 * Runs a turn through an ordered list of stages, each getting the turn and a `next` that runs
 * the rest (the way grammY composes middleware): a stage that does not call `next` ends the chain.
 * Traced: each stage is a `stage <name>` span under the turn's span, covering the stage's own work
 * (ended when it calls `next` or returns), so the stages read as siblings in order.
 */
import { activeContext, startSpan, SpanKind, withContext, withSpan } from '../../kernel/tracing.js';
import type { Stage, Turn } from './turn.js';

export async function runStages(stages: readonly Stage[], turn: Turn): Promise<void> {
  const outer = activeContext();
  const step = async (index: number): Promise<void> => {
    const stage = stages[index];
    if (!stage) return;
    let called = false;
    const span = startSpan(`stage ${stage.name}`, {}, SpanKind.INTERNAL);
    try {
      await withSpan(span, () =>
        stage.run(turn, async () => {
          if (called) throw new Error(`engine stage ${stage.name} called next() twice`);
          called = true;
          span.end();
          await withContext(outer, () => step(index + 1));
        }),
      );
    } finally {
      if (!called) span.end();
    }
  };
  await step(0);
}
