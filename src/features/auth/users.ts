/**
 * Staff account rules: create, change, delete — each audited — and "never zero admins": a
 * change that would leave no enabled admin is refused. Changes that can remove an admin run
 * under one Redis lock so two of them cannot both pass the check (FerretDB has no transactions).
 * Disabling or deleting a user, or setting their password, ends their sessions at once.
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { Types } from 'mongoose';
import { recordAudit } from '../../kernel/audit.js';
import { busy, conflict, notFound } from '../../kernel/errors.js';
import { lockKey, withLock } from '../../kernel/redis/lock.js';
import { isDuplicateKeyError } from '../../kernel/db/errors.js';
import { hashPassword } from './passwords.js';
import type { Actor } from '../../kernel/roles.js';
import type { SessionStore } from './sessions.js';
import { User, type UserDoc } from '../../kernel/db/models/user.js';
import type { NewUser, UserPatch } from './schemas.js';

export interface UserService {
  create(
    actor: Actor | string,
    input: NewUser,
    details?: Record<string, unknown>,
  ): Promise<UserDoc>;
  list(page: { limit: number; offset: number }): Promise<{ items: UserDoc[]; total: number }>;
  update(actor: Actor, id: string, patch: UserPatch): Promise<UserDoc>;
  remove(actor: Actor, id: string): Promise<void>;
  /**
   * An admin sets a temporary password (given, or generated and answered once): the user's
   * sessions end and their next sign-in can do nothing but choose a new password.
   */
  setTemporaryPassword(
    actor: Actor,
    id: string,
    password?: string,
  ): Promise<{ user: UserDoc; generated: string | null }>;
  /** True while no account exists (first run). */
  none(): Promise<boolean>;
}

const LOCK_TTL_MS = 10_000;

/** Letters and digits that cannot be misread for one another (no 0/o, 1/l/i). */
const READABLE = 'abcdefghjkmnpqrstuvwxyz23456789';

/** A temporary password to read out or paste: four groups of four (about 79 bits), e.g. `k7qm-…`. */
export function generatePassword(): string {
  const bytes = randomBytes(64);
  const chars: string[] = [];
  // Rejection sampling keeps every character equally likely (256 is not a multiple of 31).
  for (const b of bytes) {
    if (b < 248) chars.push(READABLE[b % READABLE.length]!);
    if (chars.length === 16) break;
  }
  return [0, 4, 8, 12].map((i) => chars.slice(i, i + 4).join('')).join('-');
}

const lastAdmin = () =>
  conflict('last_admin', 'This would leave no enabled admin; make another user admin first.');

const isEnabledAdmin = (u: Pick<UserDoc, 'role' | 'disabled'>) =>
  u.role === 'admin' && u.disabled !== true;

async function findUser(id: string): Promise<UserDoc> {
  if (!Types.ObjectId.isValid(id) || !/^[0-9a-f]{24}$/i.test(id)) throw notFound('The user');
  const user = await User.findById(new Types.ObjectId(id)).lean<UserDoc>();
  if (!user) throw notFound('The user');
  return user;
}

export function createUserService(deps: {
  redis: Redis;
  prefix: string;
  sessions: SessionStore;
}): UserService {
  const key = lockKey(deps.prefix, 'staff-users');
  const lockOptions = {
    ttlMs: LOCK_TTL_MS,
    waitMs: LOCK_TTL_MS,
    retryMs: 20,
    busy: () => busy('busy', 'Try again in a moment.'),
  };
  const exclusively = <T>(fn: () => Promise<T>): Promise<T> =>
    withLock(deps.redis, key, lockOptions, fn);

  /** Another enabled admin besides `id`? */
  const anotherAdmin = async (id: Types.ObjectId) =>
    (await User.countDocuments({ role: 'admin', disabled: { $ne: true }, _id: { $ne: id } })) > 0;

  return {
    async create(actor, input, details) {
      const email = input.email.trim().toLowerCase();
      let user: UserDoc;
      try {
        const created = await User.create({
          email,
          name: input.name.trim(),
          role: input.role,
          passwordHash: await hashPassword(input.password),
          ...(input.mustChangePassword ? { mustChangePassword: true } : {}),
        });
        user = created.toObject() as UserDoc;
      } catch (err) {
        if (isDuplicateKeyError(err)) {
          throw conflict('email_taken', 'A user with this email already exists.');
        }
        throw err;
      }
      await recordAudit({
        actor,
        action: 'user.create',
        targetType: 'user',
        targetId: user._id.toHexString(),
        after: { email: user.email, name: user.name, role: user.role },
        details,
      });
      return user;
    },

    async list({ limit, offset }) {
      const [items, total] = await Promise.all([
        User.find().sort({ createdAt: 1, _id: 1 }).skip(offset).limit(limit).lean<UserDoc[]>(),
        User.countDocuments(),
      ]);
      return { items, total };
    },

    async update(actor, id, patch) {
      const run = async () => {
        const user = await findUser(id);
        const set: Record<string, unknown> = {};
        const before: Record<string, unknown> = {};
        const after: Record<string, unknown> = {};
        const current = { role: user.role, name: user.name, disabled: user.disabled === true };
        for (const key of ['role', 'name', 'disabled'] as const) {
          const value = patch[key];
          if (value === undefined || value === current[key]) continue;
          set[key] = value;
          before[key] = current[key];
          after[key] = value;
        }
        const next = { ...current, ...set } as Pick<UserDoc, 'role' | 'disabled'>;
        if (isEnabledAdmin(user) && !isEnabledAdmin(next)) {
          if (!(await anotherAdmin(user._id))) throw lastAdmin();
        }
        if (patch.password !== undefined) set.passwordHash = await hashPassword(patch.password);
        if (Object.keys(set).length === 0) return user;
        await User.updateOne({ _id: user._id }, { $set: set });
        if (set.disabled === true || set.passwordHash !== undefined) {
          await deps.sessions.endAllOf(id);
        }
        await recordAudit({
          actor,
          action: 'user.update',
          targetType: 'user',
          targetId: id,
          before,
          after,
          details: set.passwordHash !== undefined ? { passwordChanged: true } : undefined,
        });
        return findUser(id);
      };
      // Only changes that may remove an admin need the lock.
      return patch.role !== undefined || patch.disabled !== undefined ? exclusively(run) : run();
    },

    async remove(actor, id) {
      await exclusively(async () => {
        const user = await findUser(id);
        if (isEnabledAdmin(user) && !(await anotherAdmin(user._id))) throw lastAdmin();
        await User.deleteOne({ _id: user._id });
        await deps.sessions.endAllOf(id);
        await recordAudit({
          actor,
          action: 'user.delete',
          targetType: 'user',
          targetId: id,
          before: { email: user.email, name: user.name, role: user.role },
        });
      });
    },

    async setTemporaryPassword(actor, id, password) {
      if (actor.kind === 'user' && actor.id === id) {
        throw conflict('own_account', 'Choose your own new password instead (change password).');
      }
      const user = await findUser(id);
      const generated = password === undefined ? generatePassword() : null;
      const passwordHash = await hashPassword(password ?? generated!);
      await User.updateOne({ _id: user._id }, { $set: { passwordHash, mustChangePassword: true } });
      await deps.sessions.endAllOf(id);
      await recordAudit({
        actor,
        action: 'user.temporary_password',
        targetType: 'user',
        targetId: id,
        details: { generated: generated !== null, mustChangePassword: true },
      });
      return { user: await findUser(id), generated };
    },

    async none() {
      return (await User.exists({})) === null;
    },
  };
}
