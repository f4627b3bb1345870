/**
 * Staff come from two tools: Slack (ids like `U024BE7LH`) and the console (`user:<id>`, or
 * `admin-token` for the bearer credential). Both are a StaffMember to the escalator; cases,
 * take-overs and the Slack queue all name staff this way.
 */
import { actorLabel, TOKEN_ACTOR, type Actor } from './roles.js';
import type { StaffMember } from './contracts/escalation.js';

/** Console staff ids are actor labels (`user:<id>`, `admin-token`); every other id is Slack's. */
export const isConsoleStaffId = (id: string): boolean =>
  id.startsWith('user:') || id === TOKEN_ACTOR.id;

/** The console user as staff: the id audit entries use, and the name the customer is told. */
export function staffOfActor(actor: Actor): StaffMember {
  // The bearer credential's own name (ADMIN_TOKEN) is no name to show a customer.
  const name =
    actor.kind === 'token' ? 'Admin' : actor.name?.trim() || actor.email?.trim() || actor.id;
  return { id: actorLabel(actor), name };
}
