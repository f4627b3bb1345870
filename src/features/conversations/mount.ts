/**
 * Mounts the console's data API (docs/console-api.md): conversations and the take-over actions,
 * contacts, and the live stream. Each resource has its own module; this only wires them.
 */
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { Escalator } from '../../kernel/contracts/escalation.js';
import { createConversationLock } from '../../kernel/redis/conversation-lock.js';
import { createTakeover } from './takeover.js';
import type { ConsoleEvents } from '../../kernel/console-events.js';
import type { Outbox } from '../../pipeline/outbox.js';
import { mountContactRoutes } from '../contacts/routes.js';
import { mountConversationRoutes } from './routes.js';
import { mountStreamRoute } from '../../http/stream.js';

export interface ConsoleDataDeps {
  escalator: Escalator;
  outbox: Outbox;
  redis: Redis;
  /** QUEUE_PREFIX: the conversation lock is the engine's (`<prefix>:lock:conversation:<id>`). */
  prefix: string;
  events: ConsoleEvents;
}

export function mountConsoleDataRoutes(server: FastifyInstance, deps: ConsoleDataDeps): void {
  const lock = createConversationLock(deps.redis, deps.prefix);
  const takeover = createTakeover({
    escalator: deps.escalator,
    outbox: deps.outbox,
    lock,
    events: deps.events,
  });
  mountConversationRoutes(server, takeover);
  mountContactRoutes(server);
  mountStreamRoute(server, deps.events);
}
