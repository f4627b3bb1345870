/**
 * The outreach feature's public module (issue 19.3, "reply anywhere"): staff take a conversation
 * from the bot, answer from a case page, or write to a contact on a channel whose rules allow it
 * (rules.ts). Routes in routes.ts; the shapes in schemas.ts.
 */
import { defineFeature, type KernelContext } from '../../kernel/contracts/feature.js';
import type { Escalator } from '../../kernel/contracts/escalation.js';
import { createConversationLock } from '../../kernel/redis/conversation-lock.js';
import type { Outbox } from '../../pipeline/outbox.js';
import { mountOutreachRoutes } from './routes.js';
import type { OutreachLookup } from './rules.js';

export type { OutreachLookup } from './rules.js';
/** Whether a conversation's channel takes a message from us now (campaigns re-check it). */
export { reachOf } from './rules.js';
/** Whether the assignee may answer on a conversation's channel now (the app gives it to the reply route). */
export { replyRefusal } from './rules.js';

export const outreachFeature = defineFeature<
  KernelContext & { escalator: Escalator; outbox: Outbox; outreach: OutreachLookup }
>({
  name: 'outreach',
  create(ctx) {
    const lock = createConversationLock(ctx.redis, ctx.config.queuePrefix);
    return {
      mount(server) {
        mountOutreachRoutes(server, {
          escalator: ctx.escalator,
          outbox: ctx.outbox,
          lock,
          lookup: ctx.outreach,
        });
      },
    };
  },
});
