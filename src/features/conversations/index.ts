/**
 * The conversations feature's public module: the console's inbox (list, detail, messages), the
 * take-over actions (claim, reply, note, close), the escalations list and the live stream. What
 * other features may use of a conversation's shape is exported here.
 */
import { defineFeature, type KernelContext } from '../../kernel/contracts/feature.js';
import type { Escalator } from '../../kernel/contracts/escalation.js';
import type { ReplyCheck } from '../../kernel/contracts/channel-adapter.js';
import type { MailTransport } from '../../kernel/contracts/mail.js';
import { createConversationLock } from '../../kernel/redis/conversation-lock.js';
import { mountStreamRoute } from '../../http/stream.js';
import type { Outbox } from '../../pipeline/outbox.js';
import { mountEscalationRoutes } from './escalation-routes.js';
import { mountMessageRoutes } from './message-routes.js';
import { mountConversationRoutes } from './routes.js';
import { createTakeover } from './takeover.js';
import { mountTranscriptRoutes } from './transcript-routes.js';

export { conversationSummarySchema, messageSchema } from './schemas.js';
export { escapeRegex, summarise } from './list.js';
export { customerName, customerNames, staffNames } from './names.js';
export { iso, type ConversationSummary } from './summary.js';
export { toContactCard, toMessageView, type ContactCard, type MessageView } from './detail.js';

export const conversationsFeature = defineFeature<
  KernelContext & {
    escalator: Escalator;
    outbox: Outbox;
    replyCheck: ReplyCheck;
    mail?: MailTransport;
  }
>({
  name: 'conversations',
  create(ctx) {
    // The engine's lock (`<prefix>:lock:conversation:<id>`): staff and bot never write at once.
    const lock = createConversationLock(ctx.redis, ctx.config.queuePrefix);
    const takeover = createTakeover({
      escalator: ctx.escalator,
      outbox: ctx.outbox,
      lock,
      events: ctx.consoleEvents,
      replyCheck: ctx.replyCheck,
    });
    return {
      mount(server) {
        void server.register(async (scope) => mountMessageRoutes(scope));
        mountEscalationRoutes(server, { escalator: ctx.escalator, lock });
        mountConversationRoutes(server, takeover);
        mountTranscriptRoutes(server, { mail: ctx.mail, defaultLocale: ctx.config.defaultLocale });
        mountStreamRoute(server, ctx.consoleEvents);
      },
    };
  },
});
