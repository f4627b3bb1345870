/**
 * Which team a conversation escalated to humans goes to, from the teams' routing rules, first
 * match wins: the flow it was in (or escalated from), then its last intent (else any intent it
 * showed, latest first), then its language. No match: no team — any available agent may take it.
 */
import type { ConversationDoc } from '../../kernel/db/models/conversation.js';
import type { TeamDoc } from './models.js';

export type Routable = Pick<
  ConversationDoc,
  'flow' | 'suspendedFlow' | 'lastIntent' | 'intentsSeen' | 'locale'
>;

export function routeConversation(c: Routable, teams: TeamDoc[]): TeamDoc | undefined {
  const flow = c.flow?.name ?? c.suspendedFlow?.name;
  if (flow) {
    const byFlow = teams.find((t) => t.flows.includes(flow));
    if (byFlow) return byFlow;
  }
  const intents = [c.lastIntent, ...[...(c.intentsSeen ?? [])].reverse()].filter(
    (i): i is string => !!i,
  );
  for (const intent of intents) {
    const byIntent = teams.find((t) => t.intents.includes(intent));
    if (byIntent) return byIntent;
  }
  if (c.locale) return teams.find((t) => t.languages.includes(c.locale!));
  return undefined;
}
