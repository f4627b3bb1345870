/**
 * Who can be given conversations: enabled staff users with the agent or admin role, with their
 * presence (away unless they said otherwise), their open load (conversations assigned to them
 * now, one aggregation), their own capacity when an admin set one, and their teams.
 */
import { Types } from 'mongoose';
import { Conversation } from '../../kernel/db/models/conversation.js';
import { User, type UserDoc } from '../../kernel/db/models/user.js';
import { StaffPresence, Team, type PresenceDoc, type TeamDoc } from './models.js';
import type { AgentView } from './schemas.js';

export const ASSIGNABLE_ROLES = ['agent', 'admin'] as const;

export const staffIdOf = (userId: string | Types.ObjectId): string => `user:${String(userId)}`;

export interface Agent extends AgentView {
  lastAssignedAt: number;
}

/** Open conversations per assignee staff id. */
export async function openLoad(): Promise<Map<string, number>> {
  const groups = await Conversation.aggregate<{ _id: string | null; n: number }>([
    { $match: { status: 'assigned' } },
    { $group: { _id: '$assignee.id', n: { $sum: 1 } } },
  ]);
  return new Map(groups.filter((g) => g._id).map((g) => [g._id!, g.n]));
}

export async function assignableAgents(teams?: TeamDoc[]): Promise<Agent[]> {
  const [users, presence, load, allTeams] = await Promise.all([
    User.find(
      { role: { $in: [...ASSIGNABLE_ROLES] }, disabled: { $ne: true } },
      {
        name: 1,
        role: 1,
      },
    ).lean<Pick<UserDoc, '_id' | 'name' | 'role'>[]>(),
    StaffPresence.find({}).lean<PresenceDoc[]>(),
    openLoad(),
    teams ? Promise.resolve(teams) : Team.find({}).lean<TeamDoc[]>(),
  ]);
  const byId = new Map(presence.map((p) => [p._id, p]));
  return users
    .map((u) => {
      const id = staffIdOf(u._id);
      const p = byId.get(id);
      const userId = u._id.toHexString();
      return {
        id,
        userId,
        name: u.name,
        role: u.role as Agent['role'],
        presence: p?.status === 'available' ? ('available' as const) : ('away' as const),
        open: load.get(id) ?? 0,
        teams: allTeams
          .filter((t) => t.members.some((m) => m.toHexString() === userId))
          .map((t) => ({ id: t._id.toHexString(), name: t.name })),
        capacity: typeof p?.capacity === 'number' ? p.capacity : null,
        lastAssignedAt: p?.lastAssignedAt ? new Date(p.lastAssignedAt).getTime() : 0,
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

export const toAgentView = ({ lastAssignedAt: _, ...view }: Agent): AgentView => view;

export async function setPresence(staffId: string, status: 'available' | 'away'): Promise<void> {
  await StaffPresence.updateOne({ _id: staffId }, { $set: { status } }, { upsert: true });
}

/** An agent's own capacity (null: back to the install's); the presence stays as it was. */
export async function setAgentCapacity(staffId: string, capacity: number | null): Promise<void> {
  await StaffPresence.updateOne(
    { _id: staffId },
    { $set: { capacity }, $setOnInsert: { status: 'away' } },
    { upsert: true },
  );
}

export async function markAutoAssigned(staffId: string, at: Date): Promise<void> {
  await StaffPresence.updateOne({ _id: staffId }, { $set: { lastAssignedAt: at } });
}
