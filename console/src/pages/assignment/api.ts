/** The assignment calls of the console (src/features/assignment/routes.ts): presence, assign. */
import { call } from '../../api/client';
import type { AssignBody, Presence } from '../../../../src/features/assignment/schemas';

export const AGENTS_KEY = ['assignment', 'agents'] as const;
export const TEAMS_KEY = ['teams'] as const;

/** Who can be given conversations, and the signed-in user's own row (`me`). */
export const getAgents = () => call('GET /api/assignment/agents');

export const setPresence = (status: Presence) =>
  call('PUT /api/assignment/presence', { body: { status } });

export const getTeams = () => call('GET /api/teams');

export const assignConversation = (id: string, to: AssignBody['to']) =>
  call('POST /api/conversations/:id/assign', { params: { id }, body: { to } });
