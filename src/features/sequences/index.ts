/**
 * The sequences feature's public module (issue 21.6): autoresponders. Triggers and exits come
 * from the event bus (triggers.ts); on worker instances a timer runs the due steps (runner.ts),
 * sending through the campaigns feature's marketing sender, which re-checks consent and reach at
 * the moment of sending.
 */
import { defineFeature } from '../../kernel/contracts/feature.js';
import { marketingDeps, sendMarketingMessage, type CampaignsContext } from '../campaigns/index.js';
import { mountSequenceRoutes } from './routes.js';
import { runDueEnrolments, type SequenceSender } from './runner.js';
import { sequenceSubscriptions } from './triggers.js';

export type { SequenceSender } from './runner.js';

const TICK_MS = 15_000;

export interface SequencesApi {
  /** Runs the steps due at `now` (the timer does this every 15 s on worker instances). */
  runDue(now?: Date): Promise<number>;
}

/** A sequence's send through the campaigns feature's consent-checking sender. */
function senderOf(ctx: CampaignsContext): SequenceSender {
  const deps = marketingDeps(ctx);
  return async ({ contactId, channel, message, key }) => {
    const result = await sendMarketingMessage(deps, {
      contactId,
      channel,
      content: message,
      messageKey: key.replace(':', '-'),
    });
    return result.status === 'sent' ? { sent: true } : { sent: false, reason: result.reason };
  };
}

export const sequencesFeature = defineFeature<CampaignsContext, SequencesApi>({
  name: 'sequences',
  create(ctx) {
    let timer: NodeJS.Timeout | undefined;
    let running: Promise<number> | undefined;
    const send = senderOf(ctx);
    const runDue = (now?: Date) => runDueEnrolments(send, ctx.logger, now);
    const tick = () => {
      if (running) return;
      running = runDue().finally(() => (running = undefined));
      running.catch((err: unknown) => ctx.logger.error({ err }, 'sequences: tick failed'));
    };
    return {
      api: { runDue },
      mount: (server) => mountSequenceRoutes(server),
      subscriptions: sequenceSubscriptions(),
      startWorkers() {
        timer = setInterval(tick, TICK_MS);
        timer.unref();
      },
      async stop() {
        if (timer) clearInterval(timer);
        await running?.catch(() => undefined);
      },
    };
  },
});
