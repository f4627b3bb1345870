/**
 * Sign-in with a second factor: after the right password, a user with two-factor owes a code
 * (`verify`), and a user without it owes an enrolment when an admin requires it for all staff
 * (`enrol`); either way they get a pending token (pending.ts), not a session. A wrong code counts
 * against the login throttle like a wrong password (and five end the pending state); the right
 * one — or a finished enrolment — spends the token and signs them in.
 */
import { Types } from 'mongoose';
import { actorOfUser, User, type UserDoc } from '../../../kernel/db/models/user.js';
import { conflict, unauthenticated } from '../../../kernel/errors.js';
import { LoginThrottledError, type ClientLike } from '../login-throttle.js';
import type { StaffAuth } from '../staff-auth.js';
import { createPendingSignIns, PENDING_TTL_MS, type PendingStep } from './pending.js';
import type { TwoFactor } from './service.js';

export type FirstStep =
  { user: UserDoc } | { step: PendingStep; token: string; expiresInSeconds: number };

export interface TwoStepSignIn {
  /** After the password: signed in, or the pending step and its token. */
  afterPassword(user: UserDoc, email: string, client: ClientLike): Promise<FirstStep>;
  /** A code (TOTP or recovery) for a pending `verify`: the signed-in user. */
  verify(token: string, code: string): Promise<UserDoc>;
  /** A pending `enrol`: a secret to add to an authenticator app. */
  startEnrolment(token: string): Promise<{ secret: string; uri: string }>;
  /** A pending `enrol` confirmed with a first code: the recovery codes and the signed-in user. */
  confirmEnrolment(
    token: string,
    code: string,
  ): Promise<{ user: UserDoc; recoveryCodes: string[] }>;
}

const expired = () =>
  unauthenticated(
    'two_factor_expired',
    'This sign-in expired or had too many wrong codes; sign in again with your password.',
  );
const wrongCode = () =>
  unauthenticated('two_factor_code_invalid', 'That code is not valid (or was used already).');

export function createTwoStepSignIn(deps: {
  auth: StaffAuth;
  twoFactor: TwoFactor;
  redis: StaffAuthRedis;
  prefix: string;
}): TwoStepSignIn {
  const { auth, twoFactor } = deps;
  const pending = createPendingSignIns({ redis: deps.redis, prefix: deps.prefix });

  /** The pending state and its (still enabled) user, or 401. */
  async function pendingUser(token: string, step: PendingStep) {
    const state = await pending.read(token);
    if (!state) throw expired();
    if (state.step !== step) {
      throw conflict('two_factor_wrong_step', `This sign-in needs the ${state.step} step.`);
    }
    const user = await User.findById(new Types.ObjectId(state.userId)).lean<UserDoc>();
    if (!user || user.disabled) {
      await pending.spend(token);
      throw expired();
    }
    return { state, user };
  }

  /** Spends the token (once, even if two requests race) and signs the user in. */
  async function finish(token: string, user: UserDoc, details: Record<string, unknown>) {
    const state = await pending.spend(token);
    if (!state) throw expired();
    return auth.signedIn(user, details, state.ip);
  }

  return {
    async afterPassword(user, email, client) {
      const enabled = await twoFactor.isEnabled(user._id);
      const step: PendingStep | undefined = enabled
        ? 'verify'
        : (await twoFactor.isRequired())
          ? 'enrol'
          : undefined;
      if (!step) return { user: await auth.signedIn(user, undefined, client) };
      const ip = typeof client === 'string' ? client : client.ip;
      const token = await pending.open({ userId: user._id.toHexString(), step, email, ip });
      return { step, token, expiresInSeconds: PENDING_TTL_MS / 1000 };
    },

    async verify(token, code) {
      const { state, user } = await pendingUser(token, 'verify');
      const wait = await auth.throttle.blockedFor(state.email, state.ip);
      if (wait > 0) throw new LoginThrottledError(wait);
      const kind = await twoFactor.check(user._id, code);
      if (!kind) {
        await pending.fail(token);
        await auth.recordFailure(state.email, state.ip, user, 'two_factor_code');
        throw wrongCode();
      }
      return finish(token, user, { twoFactor: kind });
    },

    async startEnrolment(token) {
      const { user } = await pendingUser(token, 'enrol');
      return twoFactor.startEnrolment(user);
    },

    async confirmEnrolment(token, code) {
      const { state, user } = await pendingUser(token, 'enrol');
      const wait = await auth.throttle.blockedFor(state.email, state.ip);
      if (wait > 0) throw new LoginThrottledError(wait);
      let recoveryCodes: string[];
      try {
        recoveryCodes = await twoFactor.confirmEnrolment(actorOfUser(user), user, code);
      } catch (err) {
        await pending.fail(token);
        throw err;
      }
      return { user: await finish(token, user, { twoFactor: 'enrolled' }), recoveryCodes };
    },
  };
}

type StaffAuthRedis = Parameters<typeof createPendingSignIns>[0]['redis'];
