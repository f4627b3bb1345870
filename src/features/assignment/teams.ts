/** Teams: the admin's edits (validated, audited) and their API view with members by name. */
import { Types } from 'mongoose';
import { recordAudit } from '../../kernel/audit.js';
import { User, type UserDoc } from '../../kernel/db/models/user.js';
import type { Actor } from '../../kernel/roles.js';
import { conflict, invalid, notFound } from '../../kernel/errors.js';
import { ASSIGNABLE_ROLES } from './agents.js';
import { Team, type TeamDoc } from './models.js';
import type { TeamBody, TeamView } from './schemas.js';

export async function teamViews(teams: TeamDoc[]): Promise<TeamView[]> {
  const ids = [...new Set(teams.flatMap((t) => t.members.map((m) => m.toHexString())))];
  const users = await User.find(
    { _id: { $in: ids.map((id) => new Types.ObjectId(id)) } },
    { name: 1 },
  ).lean<Pick<UserDoc, '_id' | 'name'>[]>();
  const names = new Map(users.map((u) => [u._id.toHexString(), u.name]));
  return teams.map((t) => ({
    id: t._id.toHexString(),
    name: t.name,
    members: t.members
      .map((m) => m.toHexString())
      .filter((m) => names.has(m))
      .map((m) => ({ id: m, name: names.get(m) ?? null })),
    languages: t.languages as TeamView['languages'],
    intents: t.intents,
    flows: t.flows,
  }));
}

export async function listTeams(): Promise<TeamDoc[]> {
  const teams = await Team.find({}).lean<TeamDoc[]>();
  return teams.sort((a, b) => a.name.localeCompare(b.name));
}

export async function findTeam(id: string): Promise<TeamDoc | null> {
  return /^[0-9a-f]{24}$/i.test(id) ? Team.findById(id).lean<TeamDoc>() : null;
}

/** Members must be enabled agents or admins; names are unique (case and accents aside). */
async function checked(body: TeamBody, except?: Types.ObjectId): Promise<TeamBody> {
  const members = [...new Set(body.members.map((m) => m.toLowerCase()))];
  const found = await User.countDocuments({
    _id: { $in: members.map((m) => new Types.ObjectId(m)) },
    role: { $in: [...ASSIGNABLE_ROLES] },
    disabled: { $ne: true },
  });
  if (found !== members.length) {
    throw invalid('invalid_member', 'Every member must be an enabled agent or admin account.');
  }
  const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().trim();
  const others = await Team.find(except ? { _id: { $ne: except } } : {}, { name: 1 }).lean<
    Pick<TeamDoc, 'name'>[]
  >();
  if (others.some((t) => fold(t.name) === fold(body.name))) {
    throw conflict('duplicate_name', `A team named "${body.name}" already exists.`);
  }
  const uniq = (xs: string[]) => [...new Set(xs)];
  return {
    ...body,
    members,
    languages: uniq(body.languages) as TeamBody['languages'],
    intents: uniq(body.intents),
    flows: uniq(body.flows),
  };
}

const snapshot = (
  t: Pick<TeamDoc, 'name' | 'languages' | 'intents' | 'flows'> & { members: unknown[] },
) => ({
  team: t.name,
  members: t.members.map(String),
  languages: t.languages,
  intents: t.intents,
  flows: t.flows,
});

export async function createTeam(actor: Actor, body: TeamBody): Promise<TeamDoc> {
  const value = await checked(body);
  const doc = await Team.create({
    ...value,
    members: value.members.map((m) => new Types.ObjectId(m)),
  });
  const team = doc.toObject() as TeamDoc;
  await recordAudit({
    actor,
    action: 'team.create',
    targetType: 'Team',
    targetId: team._id.toHexString(),
    after: snapshot(team),
  });
  return team;
}

export async function updateTeam(actor: Actor, id: string, body: TeamBody): Promise<TeamDoc> {
  const before = await findTeam(id);
  if (!before) throw notFound('The team');
  const value = await checked(body, before._id);
  const after = await Team.findByIdAndUpdate(
    before._id,
    { $set: { ...value, members: value.members.map((m) => new Types.ObjectId(m)) } },
    { returnDocument: 'after' },
  ).lean<TeamDoc>();
  if (!after) throw notFound('The team');
  await recordAudit({
    actor,
    action: 'team.update',
    targetType: 'Team',
    targetId: id,
    before: snapshot(before),
    after: snapshot(after),
  });
  return after;
}

export async function deleteTeam(actor: Actor, id: string): Promise<void> {
  const before = await findTeam(id);
  if (!before) throw notFound('The team');
  await Team.deleteOne({ _id: before._id });
  await recordAudit({
    actor,
    action: 'team.delete',
    targetType: 'Team',
    targetId: id,
    before: snapshot(before),
  });
}

/** Every team with its members' staff ids (`user:<id>`), for reports (analytics). */
export async function teamRoster(): Promise<{ id: string; name: string; members: string[] }[]> {
  const teams = await listTeams();
  return teams.map((t) => ({
    id: t._id.toHexString(),
    name: t.name,
    members: t.members.map((m) => `user:${m.toHexString()}`),
  }));
}
