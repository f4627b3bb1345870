/**
 * Who an OpenID Connect sign-in is: the account linked to the provider's `sub`; else the account
 * with the same email when the provider says the email is verified (then linked); else a new
 * account — with the role the role claim maps to, or OIDC_DEFAULT_ROLE, or, when neither names
 * one, created disabled until an admin assigns a role and enables it. A disabled account is
 * refused. The role claim also updates an existing account's role (never removing the last
 * enabled admin). Every link, creation, role change and refusal is audited (actor `oidc`).
 */
import { randomBytes } from 'node:crypto';
import { recordAudit } from '../../../kernel/audit.js';
import type { OidcConfig } from '../../../kernel/config/config.js';
import { isDuplicateKeyError } from '../../../kernel/db/errors.js';
import { StaffIdentity } from '../../../kernel/db/models/staff-identity.js';
import { User, type UserDoc } from '../../../kernel/db/models/user.js';
import { forbidden } from '../../../kernel/errors.js';
import type { Role } from '../../../kernel/roles.js';
import { hashPassword } from '../passwords.js';
import { ssoFailed, type SsoClaims } from './flow.js';

const ACTOR = 'oidc';

/** The role the claim names through OIDC_ROLE_MAP (first mapping that matches), if any. */
export function mappedRole(config: OidcConfig, claims: Record<string, unknown>): Role | undefined {
  if (!config.roleClaim) return undefined;
  const raw = claims[config.roleClaim];
  const values = new Set(
    (Array.isArray(raw) ? raw : [raw]).filter((v): v is string => typeof v === 'string'),
  );
  return config.roleMap.find(([value]) => values.has(value))?.[1];
}

const refused = (code: 'sso_disabled' | 'sso_pending', message: string) => forbidden(code, message);

async function audit(action: string, userId: string, details?: Record<string, unknown>) {
  await recordAudit({ actor: ACTOR, action, targetType: 'user', targetId: userId, details });
}

async function link(config: OidcConfig, claims: SsoClaims, user: UserDoc) {
  try {
    await StaffIdentity.create({ issuer: config.issuer, subject: claims.sub, userId: user._id });
  } catch (err) {
    if (!isDuplicateKeyError(err)) throw err;
  }
}

async function createAccount(config: OidcConfig, claims: SsoClaims, role: Role | undefined) {
  if (!claims.email || !claims.emailVerified) throw ssoFailed('no_verified_email');
  let user: UserDoc;
  try {
    const created = await User.create({
      email: claims.email,
      name: claims.name?.trim() || claims.email.split('@')[0],
      role: role ?? 'viewer',
      // No password: a random one nobody knows (an admin may set one later).
      passwordHash: await hashPassword(randomBytes(32).toString('base64url')),
      disabled: role === undefined,
    });
    user = created.toObject() as UserDoc;
  } catch (err) {
    if (isDuplicateKeyError(err)) throw ssoFailed('email_taken'); // a sign-in raced this one
    throw err;
  }
  await link(config, claims, user);
  await audit('auth.sso_user_created', user._id.toHexString(), {
    role: user.role,
    pending: role === undefined,
  });
  return user;
}

/** Applies the mapped role to an existing account, unless it would leave no enabled admin. */
async function syncRole(user: UserDoc, role: Role | undefined): Promise<UserDoc> {
  if (!role || role === user.role) return user;
  if (user.role === 'admin' && !user.disabled) {
    const others = await User.countDocuments({
      role: 'admin',
      disabled: { $ne: true },
      _id: { $ne: user._id },
    });
    if (others === 0) return user;
  }
  await User.updateOne({ _id: user._id }, { $set: { role } });
  await recordAudit({
    actor: ACTOR,
    action: 'user.update',
    targetType: 'user',
    targetId: user._id.toHexString(),
    before: { role: user.role },
    after: { role },
    details: { via: 'oidc_role_claim' },
  });
  return { ...user, role };
}

/** The account to sign in, or a refusal (403 sso_disabled / sso_pending, 401 sso_failed). */
export async function accountFor(config: OidcConfig, claims: SsoClaims): Promise<UserDoc> {
  const role = mappedRole(config, claims.all);
  const identity = await StaffIdentity.findOne({
    issuer: config.issuer,
    subject: claims.sub,
  }).lean();
  let user = identity ? await User.findById(identity.userId).lean<UserDoc>() : null;
  if (!user && claims.email) {
    const byEmail = await User.findOne({ email: claims.email }).lean<UserDoc>();
    if (byEmail && !claims.emailVerified) throw ssoFailed('email_not_verified');
    if (byEmail) {
      await link(config, claims, byEmail);
      await audit('auth.sso_linked', byEmail._id.toHexString(), { issuer: config.issuer });
      user = byEmail;
    }
  }
  if (!user) {
    user = await createAccount(config, claims, role ?? config.defaultRole);
    if (user.disabled) {
      throw refused('sso_pending', 'Your account waits for an admin to give it a role.');
    }
    return user;
  }
  if (user.disabled) {
    // Never signed in: a new SSO account still waiting for its role.
    const pending = !user.lastLoginAt;
    await audit('auth.sso_refused', user._id.toHexString(), {
      reason: pending ? 'pending' : 'disabled',
    });
    if (pending) throw refused('sso_pending', 'Your account waits for an admin to give it a role.');
    throw refused('sso_disabled', 'This account is disabled.');
  }
  return syncRole(user, role);
}
