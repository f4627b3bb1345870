/**
 * Assignment (docs/console-api.md):
 *   GET    /api/teams                      teams with members and routing (readers of conversations)
 *   POST   /api/teams · PUT /api/teams/:id · DELETE /api/teams/:id      (admin; audited)
 *   GET    /api/assignment/agents          agents and admins: presence, open load, teams
 *   PUT    /api/assignment/presence        {status: available|away} for yourself (agent, admin)
 *   GET    /api/assignment/settings · PUT  {capacity} per agent (PUT: admin; audited)
 *   PUT    /api/assignment/agents/:userId/capacity  {capacity | null} one agent's own (admin; audited)
 *   POST   /api/conversations/:id/assign   {to: {kind: user|team, id}} (agent: a waiting
 *                                          conversation or their own; admin: any with staff)
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { recordAudit } from '../../kernel/audit.js';
import type { ConsoleEventPublisher } from '../../kernel/console-events.js';
import type { Escalator } from '../../kernel/contracts/escalation.js';
import { findConversation } from '../../kernel/db/conversations.js';
import type { ConversationDoc } from '../../kernel/db/models/conversation.js';
import { ConversationBusyError } from '../../kernel/redis/conversation-lock.js';
import { ACCESS, type Actor } from '../../kernel/roles.js';
import { staffOfActor } from '../../kernel/staff.js';
import { actorOf, requireRole } from '../../http/guard.js';
import { HttpError, notFound } from '../../http/errors.js';
import { errorResponses, noContent } from '../../http/schemas.js';
import { summarise } from '../conversations/index.js';
import { User, type UserDoc } from '../../kernel/db/models/user.js';
import {
  ASSIGNABLE_ROLES,
  assignableAgents,
  setAgentCapacity,
  setPresence,
  staffIdOf,
  toAgentView,
} from './agents.js';
import type { AutoAssigner } from './auto-assign.js';
import { readCapacity, writeCapacity } from './models.js';
import {
  agentCapacityBody,
  agentCapacityParams,
  agentSchema,
  agentsResponse,
  assignBody,
  assignmentSettingsBody,
  assignmentSettingsSchema,
  presenceBody,
  teamBody,
  teamIdParams,
  teamSchema,
  type AssignBody,
} from './schemas.js';
import { conversationSummarySchema } from '../conversations/schemas.js';
import { createTeam, deleteTeam, findTeam, listTeams, teamViews, updateTeam } from './teams.js';

export interface AssignmentRouteDeps {
  escalator: Escalator;
  auto: AutoAssigner;
  /** Tells colleagues' consoles (GET /api/stream) about a presence change. */
  events: ConsoleEventPublisher;
}

export function mountAssignmentRoutes(server: FastifyInstance, deps: AssignmentRouteDeps): void {
  mountTeamRoutes(server);
  mountAgentRoutes(server, deps);
  mountAssignRoute(server, deps);
}

function mountTeamRoutes(server: FastifyInstance): void {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const read = requireRole(...ACCESS.teams.read);
  const write = requireRole(...ACCESS.teams.write);
  const tags = ['assignment'];
  const one = async (t: Parameters<typeof teamViews>[0][number]) => (await teamViews([t]))[0]!;

  app.get(
    '/api/teams',
    {
      onRequest: read,
      schema: {
        tags,
        summary: 'Teams, with their members and routing rules',
        response: { 200: z.object({ items: z.array(teamSchema) }), ...errorResponses(401, 403) },
      },
    },
    async () => ({ items: await teamViews(await listTeams()) }),
  );
  app.post(
    '/api/teams',
    {
      onRequest: write,
      schema: {
        tags,
        summary: 'Create a team',
        body: teamBody,
        response: { 201: teamSchema, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await one(await createTeam(actorOf(req), req.body))),
  );
  app.put(
    '/api/teams/:id',
    {
      onRequest: write,
      schema: {
        tags,
        summary: 'Replace a team (name, members, languages, intents, flows)',
        params: teamIdParams,
        body: teamBody,
        response: { 200: teamSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (req) => one(await updateTeam(actorOf(req), req.params.id, req.body)),
  );
  app.delete(
    '/api/teams/:id',
    {
      onRequest: write,
      schema: {
        tags,
        summary: 'Delete a team (its conversations keep their assignee)',
        params: teamIdParams,
        response: { 204: noContent, ...errorResponses(401, 403, 404) },
      },
    },
    async (req, reply) => {
      await deleteTeam(actorOf(req), req.params.id);
      return reply.status(204).send(null);
    },
  );
}

const presenceOfToken = () =>
  new HttpError(400, 'no_presence', 'Only a signed-in staff user has a presence.');

function mountAgentRoutes(server: FastifyInstance, deps: AssignmentRouteDeps): void {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const tags = ['assignment'];

  app.get(
    '/api/assignment/agents',
    {
      onRequest: requireRole(...ACCESS.conversations.read),
      schema: {
        tags,
        summary: 'Who can be assigned conversations: presence, open conversations, teams',
        response: { 200: agentsResponse, ...errorResponses(401, 403) },
      },
    },
    async (req) => {
      const [agents, capacity] = await Promise.all([assignableAgents(), readCapacity()]);
      const me = staffOfActor(actorOf(req)).id;
      const mine = agents.find((a) => a.id === me);
      return {
        items: agents.map(toAgentView),
        capacity,
        me: mine ? toAgentView(mine) : null,
      };
    },
  );
  app.put(
    '/api/assignment/presence',
    {
      onRequest: requireRole(...ACCESS.conversations.write),
      schema: {
        tags,
        summary: 'Set your presence: available (given conversations automatically) or away',
        body: presenceBody,
        response: { 200: agentSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      if (actor.kind !== 'user') throw presenceOfToken();
      const id = staffIdOf(actor.id);
      const before = (await assignableAgents()).find((a) => a.id === id);
      await setPresence(id, req.body.status);
      await recordAudit({
        actor,
        action: 'staff.presence',
        targetType: 'User',
        targetId: actor.id,
        before: { presence: before?.presence ?? 'away' },
        after: { presence: req.body.status },
      });
      void deps.events.publish({
        type: 'staff.presence',
        staffId: id,
        presence: req.body.status,
        at: new Date().toISOString(),
      });
      if (req.body.status === 'available') deps.auto.kick();
      const after = (await assignableAgents()).find((a) => a.id === id);
      if (!after) throw presenceOfToken();
      return toAgentView(after);
    },
  );
  app.put(
    '/api/assignment/agents/:userId/capacity',
    {
      onRequest: requireRole(...ACCESS.teams.write),
      schema: {
        tags,
        summary:
          "Set one agent's own capacity of the automatic assignment (null: the install's applies)",
        params: agentCapacityParams,
        body: agentCapacityBody,
        response: { 200: agentSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const id = staffIdOf(req.params.userId);
      const before = (await assignableAgents()).find((a) => a.id === id);
      if (!before) throw notFound('The agent');
      await setAgentCapacity(id, req.body.capacity);
      await recordAudit({
        actor: actorOf(req),
        action: 'assignment.agent_capacity',
        targetType: 'User',
        targetId: req.params.userId,
        before: { capacity: before.capacity },
        after: { capacity: req.body.capacity },
      });
      deps.auto.kick();
      const after = (await assignableAgents()).find((a) => a.id === id);
      return toAgentView(after ?? { ...before, capacity: req.body.capacity });
    },
  );
  app.get(
    '/api/assignment/settings',
    {
      onRequest: requireRole(...ACCESS.teams.read),
      schema: {
        tags,
        summary: 'Per-agent capacity of the automatic assignment',
        response: { 200: assignmentSettingsSchema, ...errorResponses(401, 403) },
      },
    },
    async () => ({ capacity: await readCapacity() }),
  );
  app.put(
    '/api/assignment/settings',
    {
      onRequest: requireRole(...ACCESS.teams.write),
      schema: {
        tags,
        summary: 'Set the per-agent capacity of the automatic assignment',
        body: assignmentSettingsBody,
        response: { 200: assignmentSettingsSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (req) => {
      const before = await readCapacity();
      await writeCapacity(req.body.capacity);
      await recordAudit({
        actor: actorOf(req),
        action: 'assignment.settings',
        targetType: 'Setting',
        targetId: 'assignment',
        before: { capacity: before },
        after: { capacity: req.body.capacity },
      });
      deps.auto.kick();
      return { capacity: req.body.capacity };
    },
  );
}

const stateOf = (c: ConversationDoc) => ({
  status: c.status,
  assignee: c.assignee?.id ?? null,
  team: c.team?.id ?? null,
});

/** Hands a conversation to a person or a team; the refusals the console shows. */
async function assign(
  deps: AssignmentRouteDeps,
  actor: Actor,
  id: string,
  to: AssignBody['to'],
): Promise<ConversationDoc> {
  const before = /^[0-9a-f]{24}$/i.test(id) ? await findConversation(id) : null;
  if (!before) throw notFound('The conversation');
  if (before.status !== 'queued' && before.status !== 'assigned') {
    throw new HttpError(
      409,
      'not_escalated',
      `The conversation is ${before.status}: it is not waiting for or with staff.`,
    );
  }
  const me = staffOfActor(actor).id;
  // An agent passes on a waiting conversation or their own; an admin any.
  const onlyFrom = actor.role === 'admin' ? undefined : me;
  let done: boolean;
  if (to.kind === 'user') {
    const user = await User.findOne({
      _id: to.id,
      role: { $in: [...ASSIGNABLE_ROLES] },
      disabled: { $ne: true },
    }).lean<UserDoc>();
    if (!user) {
      throw new HttpError(400, 'not_assignable', 'That account cannot be given conversations.');
    }
    const target = { id: staffIdOf(user._id), name: user.name };
    done = await deps.escalator.assign!(id, target, me, { onlyFrom, reason: 'reassigned' });
    const now = await findConversation(id);
    if (!done && now?.status === 'assigned' && now.assignee?.id === target.id) return now;
  } else {
    const team = await findTeam(to.id);
    if (!team) throw notFound('The team');
    const ref = { id: team._id.toHexString(), name: team.name };
    done = await deps.escalator.requeue!(id, ref, me, { onlyFrom });
    if (done) deps.auto.kick();
  }
  const after = await findConversation(id);
  if (!done || !after) {
    if (after?.status === 'assigned' && after.assignee?.id && after.assignee.id !== me) {
      throw new HttpError(
        403,
        'claimed_by_other',
        `Assigned to ${after.assignee.name ?? after.assignee.id}: only they or an admin can pass it on.`,
      );
    }
    throw new HttpError(409, 'not_escalated', 'The conversation changed meanwhile; try again.');
  }
  await recordAudit({
    actor,
    action: 'conversation.assign',
    targetType: 'Conversation',
    targetId: id,
    before: stateOf(before),
    after: stateOf(after),
  });
  return after;
}

function mountAssignRoute(server: FastifyInstance, deps: AssignmentRouteDeps): void {
  const app = server.withTypeProvider<ZodTypeProvider>();
  app.post(
    '/api/conversations/:id/assign',
    {
      onRequest: requireRole(...ACCESS.conversations.write),
      schema: {
        tags: ['conversations', 'assignment'],
        summary: 'Hand a conversation with staff to a colleague, or to a team (back in its queue)',
        params: z.object({ id: z.string().max(64).describe('conversation id (24 hex digits)') }),
        body: assignBody,
        response: {
          200: conversationSummarySchema,
          ...errorResponses(400, 401, 403, 404, 409, 503),
        },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      try {
        const after = await assign(deps, actor, req.params.id, req.body.to);
        return (await summarise([after], actor))[0]!;
      } catch (err) {
        if (err instanceof ConversationBusyError) {
          throw new HttpError(503, 'busy', 'The conversation is busy; try again in a moment.');
        }
        throw err;
      }
    },
  );
}
