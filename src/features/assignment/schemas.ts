/**
 * The assignment API's shapes, declared once: the routes validate and document with them
 * (GET /api/openapi.json), the console imports the types (console/README.md). A schema file: it
 * imports only zod, other schema files and the kernel's vocabulary.
 */
import { z } from 'zod';
import { objectIdString, personSchema, type Endpoints } from '../../http/schemas.js';
import { conversationSummarySchema } from '../conversations/schemas.js';
import { LOCALES } from '../../kernel/vocabulary.js';

export const PRESENCES = ['available', 'away'] as const;
export type Presence = (typeof PRESENCES)[number];

/** Open conversations one agent is given automatically, at most, by default. */
export const DEFAULT_CAPACITY = 5;
export const MAX_CAPACITY = 100;

const label = z.string().trim().min(1).max(100);

export const teamSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    /** Staff users in the team (id = user id, 24 hex digits). */
    members: z.array(personSchema),
    /** Routing: a conversation in one of these languages goes to this team. */
    languages: z.array(z.enum(LOCALES)),
    /** Routing: a conversation whose last intent is one of these goes to this team. */
    intents: z.array(z.string()),
    /** Routing: a conversation in (or escalated from) one of these flows goes to this team. */
    flows: z.array(z.string()),
  })
  .meta({ id: 'Team' });
export type TeamView = z.infer<typeof teamSchema>;

export const teamBody = z.object({
  name: z.string().trim().min(1, 'must not be empty').max(60),
  members: z.array(objectIdString).max(500).default([]),
  languages: z.array(z.enum(LOCALES)).max(LOCALES.length).default([]),
  intents: z.array(label).max(100).default([]),
  flows: z.array(label).max(100).default([]),
});
export type TeamBody = z.infer<typeof teamBody>;

export const teamIdParams = z.object({ id: z.string().max(64).describe('team id') });

export const presenceBody = z.object({ status: z.enum(PRESENCES) });

export const agentSchema = z
  .object({
    /** The staff id conversations carry as assignee (`user:<user id>`). */
    id: z.string(),
    userId: z.string(),
    name: z.string(),
    role: z.enum(['admin', 'agent']),
    presence: z.enum(PRESENCES),
    /** Open conversations assigned to them now. */
    open: z.number().int(),
    teams: z.array(personSchema),
    /** Their own capacity set by an admin (null: the install's capacity applies). */
    capacity: z.number().int().min(0).max(MAX_CAPACITY).nullable(),
  })
  .meta({ id: 'AssignableAgent' });
export type AgentView = z.infer<typeof agentSchema>;

export const agentsResponse = z
  .object({ items: z.array(agentSchema), capacity: z.number().int(), me: agentSchema.nullable() })
  .meta({ id: 'AssignableAgents' });
export type AgentsView = z.infer<typeof agentsResponse>;

export const assignmentSettingsSchema = z
  .object({
    /** Open conversations one agent is given automatically, at most (manual assignment may exceed it). */
    capacity: z.number().int().min(1).max(MAX_CAPACITY),
  })
  .meta({ id: 'AssignmentSettings' });
export type AssignmentSettings = z.infer<typeof assignmentSettingsSchema>;
export const assignmentSettingsBody = z.object({
  capacity: z.number().int().min(1).max(MAX_CAPACITY),
});

export const agentCapacityParams = z.object({
  userId: objectIdString.describe('the agent’s user id'),
});
export const agentCapacityBody = z
  .object({
    /** 0 = never given conversations automatically; null = back to the install's capacity. */
    capacity: z.number().int().min(0).max(MAX_CAPACITY).nullable(),
  })
  .strict();

export const assignBody = z.object({
  to: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('user'), id: objectIdString.describe('user id') }),
    z.object({ kind: z.literal('team'), id: objectIdString.describe('team id') }),
  ]),
});
export type AssignBody = z.infer<typeof assignBody>;

export const assignmentEndpoints = {
  'GET /api/teams': { response: z.object({ items: z.array(teamSchema) }) },
  'POST /api/teams': { body: teamBody, response: teamSchema },
  'PUT /api/teams/:id': { body: teamBody, response: teamSchema },
  'DELETE /api/teams/:id': { response: z.null() },
  'GET /api/assignment/agents': { response: agentsResponse },
  'PUT /api/assignment/presence': { body: presenceBody, response: agentSchema },
  'GET /api/assignment/settings': { response: assignmentSettingsSchema },
  'PUT /api/assignment/settings': {
    body: assignmentSettingsBody,
    response: assignmentSettingsSchema,
  },
  'PUT /api/assignment/agents/:userId/capacity': {
    body: agentCapacityBody,
    response: agentSchema,
  },
  'POST /api/conversations/:id/assign': { body: assignBody, response: conversationSummarySchema },
} as const satisfies Endpoints;
