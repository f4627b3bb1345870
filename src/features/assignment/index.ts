/**
 * The assignment feature's public module: teams, presence, the per-agent capacity, reassigning a
 * conversation to a colleague or a team, and the automatic round-robin assignment of waiting
 * conversations (auto-assign.ts). It hears `conversation.escalated` on the bus and, on worker
 * instances, the console's live events (a closed conversation frees a place).
 */
import { defineFeature, type KernelContext } from '../../kernel/contracts/feature.js';
import type { Escalator } from '../../kernel/contracts/escalation.js';
import { createAutoAssigner, type AutoAssigner } from './auto-assign.js';
import { mountAssignmentRoutes } from './routes.js';

export type { AutoAssigner } from './auto-assign.js';

export interface AssignmentApi {
  auto: AutoAssigner;
}

export const assignmentFeature = defineFeature<
  KernelContext & { escalator: Escalator; options: { assignmentIntervalMs?: number } },
  AssignmentApi
>({
  name: 'assignment',
  create(ctx) {
    const auto = createAutoAssigner({
      redis: ctx.redis,
      prefix: ctx.config.queuePrefix,
      escalator: ctx.escalator,
      logger: ctx.logger,
    });
    let timer: NodeJS.Timeout | undefined;
    let unsubscribe: (() => void) | undefined;
    return {
      api: { auto },
      mount: (server) =>
        mountAssignmentRoutes(server, {
          escalator: ctx.escalator,
          auto,
          events: ctx.consoleEvents,
        }),
      subscriptions: {
        // Under the escalating turn's conversation lock: only ask for a pass, never wait on it.
        'conversation.escalated': () => auto.kick(),
      },
      async startWorkers() {
        unsubscribe = await ctx.consoleEvents.subscribe((event) => {
          if (event.type === 'conversation.updated' && event.change === 'closed') auto.kick();
        });
        timer = setInterval(() => auto.kick(), ctx.options.assignmentIntervalMs ?? 30_000);
        timer.unref();
        auto.kick();
      },
      async stop() {
        if (timer) clearInterval(timer);
        unsubscribe?.();
        await auto.stop();
      },
    };
  },
});

/** Every team with its members' staff ids (`user:<id>`), for reports. */
export { teamRoster } from './teams.js';
