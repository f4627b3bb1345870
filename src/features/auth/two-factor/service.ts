/**
 * Two-factor sign-in for staff: enrolment (a TOTP secret held in Redis until the first code
 * confirms it, then ten recovery codes shown once and stored as argon2id hashes), checking a code
 * at sign-in (a TOTP code is good once: its time step must be later than the last accepted one,
 * claimed atomically; a recovery code is pulled from the list atomically, so it works once even
 * under two racing requests), turning it off, an admin's reset, and the install-wide policy
 * "require two-factor for all staff". Every change is audited; no secret or code reaches a log.
 */
import type { Redis } from 'ioredis';
import type { Types } from 'mongoose';
import { recordAudit } from '../../../kernel/audit.js';
import { conflict, invalid, notFound } from '../../../kernel/errors.js';
import type { Actor } from '../../../kernel/roles.js';
import type { SecretBox } from '../../../kernel/secret-box.js';
import { isDuplicateKeyError } from '../../../kernel/db/errors.js';
import { Setting } from '../../../kernel/db/models/setting.js';
import {
  StaffTwoFactor,
  type StaffTwoFactorDoc,
} from '../../../kernel/db/models/staff-two-factor.js';
import { User, type UserDoc } from '../../../kernel/db/models/user.js';
import { hashPassword, verifyPassword } from '../passwords.js';
import {
  newRecoveryCodes,
  newTotpSecret,
  normaliseRecoveryCode,
  totpStepOf,
  totpUri,
} from './totp.js';

const POLICY_ID = 'staff-two-factor';
const ENROL_TTL_MS = 10 * 60_000;

export type CodeKind = 'totp' | 'recovery';

export interface TwoFactorStatus {
  enabled: boolean;
  recoveryCodesLeft: number;
  /** An admin requires two-factor for every staff member. */
  required: boolean;
}

export interface TwoFactor {
  status(userId: Types.ObjectId): Promise<TwoFactorStatus>;
  isEnabled(userId: Types.ObjectId): Promise<boolean>;
  isRequired(): Promise<boolean>;
  setRequired(actor: Actor, required: boolean): Promise<void>;
  /** A new secret for the user to add to an authenticator app (409 when already enabled). */
  startEnrolment(user: UserDoc): Promise<{ secret: string; uri: string }>;
  /** The first code confirms the secret; answers the recovery codes (shown once). */
  confirmEnrolment(actor: Actor, user: UserDoc, code: string): Promise<string[]>;
  /** Which kind of code matched (and is now spent), or undefined. */
  check(userId: Types.ObjectId, code: string): Promise<CodeKind | undefined>;
  /** New recovery codes (the old ones stop working), for a current code; shown once. */
  regenerateRecoveryCodes(actor: Actor, user: UserDoc, code: string): Promise<string[]>;
  /** The user turns it off with a current code (409 while an admin requires it). */
  disable(actor: Actor, user: UserDoc, code: string): Promise<void>;
  /** An admin removes a user's two-factor (lost phone); 404 unknown user. */
  reset(actor: Actor, userId: string): Promise<void>;
}

const wrongCode = () =>
  invalid('two_factor_code_invalid', 'That code is not valid (or was used already).');

/** The TOTP secret in clear; one stored before encryption is sealed now (on first use). */
async function secretOf(secrets: SecretBox, doc: StaffTwoFactorDoc): Promise<string> {
  const secret = secrets.open(doc.secret);
  if (!secrets.isSealed(doc.secret)) {
    await StaffTwoFactor.updateOne(
      { _id: doc._id, secret: doc.secret },
      { $set: { secret: secrets.seal(secret) } },
    );
  }
  return secret;
}

async function claimStep(
  secrets: SecretBox,
  doc: StaffTwoFactorDoc,
  code: string,
): Promise<boolean> {
  const step = totpStepOf(await secretOf(secrets, doc), code);
  if (step === undefined) return false;
  const res = await StaffTwoFactor.updateOne(
    { _id: doc._id, lastStep: { $lt: step } },
    { $set: { lastStep: step } },
  );
  return res.modifiedCount === 1;
}

async function claimRecoveryCode(doc: StaffTwoFactorDoc, code: string): Promise<boolean> {
  const normalised = normaliseRecoveryCode(code);
  if (!normalised) return false;
  for (const hash of doc.recoveryCodes) {
    if (!(await verifyPassword(hash, normalised))) continue;
    const res = await StaffTwoFactor.updateOne(
      { _id: doc._id, recoveryCodes: hash },
      { $pull: { recoveryCodes: hash } },
    );
    return res.modifiedCount === 1;
  }
  return false;
}

export function createTwoFactor(deps: {
  redis: Redis;
  prefix: string;
  /** Seals the TOTP secret at rest (SECRET_KEY); a plaintext one stored earlier is re-sealed. */
  secrets: SecretBox;
}): TwoFactor {
  const { redis, prefix, secrets } = deps;
  const enrolKey = (userId: Types.ObjectId) => `${prefix}:2fa-enrol:${userId.toHexString()}`;
  const audit = (actor: Actor | string, action: string, userId: string, details?: object) =>
    recordAudit({
      actor,
      action,
      targetType: 'user',
      targetId: userId,
      details: details as Record<string, unknown>,
    });

  const service: TwoFactor = {
    async status(userId) {
      const doc = await StaffTwoFactor.findOne({ userId }).lean<StaffTwoFactorDoc>();
      return {
        enabled: doc !== null,
        recoveryCodesLeft: doc?.recoveryCodes.length ?? 0,
        required: await service.isRequired(),
      };
    },

    async isEnabled(userId) {
      return (await StaffTwoFactor.exists({ userId })) !== null;
    },

    async isRequired() {
      const doc = await Setting.findById(POLICY_ID).lean<{ value?: { required?: unknown } }>();
      return doc?.value?.required === true;
    },

    async setRequired(actor, required) {
      const before = await service.isRequired();
      if (before === required) return;
      await Setting.updateOne(
        { _id: POLICY_ID },
        { $set: { value: { required } } },
        { upsert: true },
      );
      await recordAudit({
        actor,
        action: 'auth.two_factor_policy',
        targetType: 'setting',
        targetId: POLICY_ID,
        before: { required: before },
        after: { required },
      });
    },

    async startEnrolment(user) {
      if (await service.isEnabled(user._id)) {
        throw conflict('two_factor_enabled', 'Two-factor sign-in is on already.');
      }
      const secret = newTotpSecret();
      await redis.set(enrolKey(user._id), secrets.seal(secret), 'PX', ENROL_TTL_MS);
      return { secret, uri: totpUri(secret, user.email) };
    },

    async confirmEnrolment(actor, user, code) {
      const sealed = await redis.get(enrolKey(user._id));
      if (!sealed) {
        throw conflict(
          'two_factor_not_started',
          'Start the set-up again: it expired or was not started.',
        );
      }
      const secret = secrets.open(sealed);
      const step = totpStepOf(secret, code);
      if (step === undefined) throw wrongCode();
      const codes = newRecoveryCodes();
      const hashes = await Promise.all(codes.map((c) => hashPassword(c)));
      try {
        await StaffTwoFactor.create({
          userId: user._id,
          secret: secrets.seal(secret),
          lastStep: step,
          recoveryCodes: hashes,
          enabledAt: new Date(),
        });
      } catch (err) {
        if (isDuplicateKeyError(err)) {
          throw conflict('two_factor_enabled', 'Two-factor sign-in is on already.');
        }
        throw err;
      }
      await redis.del(enrolKey(user._id));
      await audit(actor, 'auth.two_factor_enabled', user._id.toHexString());
      return codes;
    },

    async check(userId, code) {
      const doc = await StaffTwoFactor.findOne({ userId }).lean<StaffTwoFactorDoc>();
      if (!doc) return undefined;
      if (await claimStep(secrets, doc, code)) return 'totp';
      if (await claimRecoveryCode(doc, code)) return 'recovery';
      return undefined;
    },

    async regenerateRecoveryCodes(actor, user, code) {
      if (!(await service.check(user._id, code))) throw wrongCode();
      const codes = newRecoveryCodes();
      const hashes = await Promise.all(codes.map((c) => hashPassword(c)));
      await StaffTwoFactor.updateOne({ userId: user._id }, { $set: { recoveryCodes: hashes } });
      await audit(actor, 'auth.two_factor_recovery_codes', user._id.toHexString());
      return codes;
    },

    async disable(actor, user, code) {
      if (await service.isRequired()) {
        throw conflict(
          'two_factor_required',
          'An admin requires two-factor sign-in for all staff.',
        );
      }
      if (!(await service.check(user._id, code))) throw wrongCode();
      await StaffTwoFactor.deleteOne({ userId: user._id });
      await audit(actor, 'auth.two_factor_disabled', user._id.toHexString());
    },

    async reset(actor, userId) {
      const user = /^[0-9a-f]{24}$/i.test(userId)
        ? await User.findById(userId).lean<UserDoc>()
        : null;
      if (!user) throw notFound('The user');
      const res = await StaffTwoFactor.deleteOne({ userId: user._id });
      await redis.del(enrolKey(user._id));
      await audit(actor, 'auth.two_factor_reset', userId, { wasEnabled: res.deletedCount === 1 });
    },
  };
  return service;
}
