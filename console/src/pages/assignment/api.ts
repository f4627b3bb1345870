/**
 * The assignment calls of the console (src/features/assignment/routes.ts): presence, assign,
 * teams and the per-agent capacity (the teams page).
 */
import { call } from '../../api/client';
import type { AssignBody, Presence, TeamBody } from '../../../../src/features/assignment/schemas';

export const AGENTS_KEY = ['assignment', 'agents'] as const;
export const TEAMS_KEY = ['teams'] as const;

/** Who can be given conversations, and the signed-in user's own row (`me`). */
export const getAgents = () => call('GET /api/assignment/agents');

export const setPresence = (status: Presence) =>
  call('PUT /api/assignment/presence', { body: { status } });

export const getTeams = () => call('GET /api/teams');

export const assignConversation = (id: string, to: AssignBody['to']) =>
  call('POST /api/conversations/:id/assign', { params: { id }, body: { to } });

export const SETTINGS_KEY = ['assignment', 'settings'] as const;

export const createTeam = (body: TeamBody) => call('POST /api/teams', { body });
export const updateTeam = (id: string, body: TeamBody) =>
  call('PUT /api/teams/:id', { params: { id }, body });
export const deleteTeam = (id: string) => call('DELETE /api/teams/:id', { params: { id } });

export const getAssignmentSettings = () => call('GET /api/assignment/settings');
export const setCapacity = (capacity: number) =>
  call('PUT /api/assignment/settings', { body: { capacity } });

/** One agent's own capacity (null: back to the install's). */
export const setAgentCapacity = (userId: string, capacity: number | null) =>
  call('PUT /api/assignment/agents/:userId/capacity', { params: { userId }, body: { capacity } });

/** Intent and flow names of the live catalogue: the routing rules' suggestions. */
export const getCatalogueNames = async () => {
  const c = await call('GET /api/catalogue');
  return { intents: c.intents.map((i) => i.name), flows: c.flows.map((f) => f.name) };
};
