/**
 * A signed-in user changes their own password:
 *   POST /api/auth/change-password {currentPassword, newPassword} → 200 {user, csrfToken}
 * The current password is checked like a sign-in (login-throttle.ts: failures counted and
 * audited, 429 while throttled); a wrong one is a 400 `wrong_password` (not a 401: the session
 * stays). The new password ends every session of the user and starts a fresh one here; it clears
 * an admin's "must change password" — this is the one staff API such a user may call (with
 * GET /api/auth/me and logout), the authenticator refuses the others with 403
 * `password_change_required`. Audited `user.password_change`.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { recordAudit } from '../../kernel/audit.js';
import { actorOfUser, User, type UserDoc } from '../../kernel/db/models/user.js';
import { invalid, isDomainError, notFound } from '../../kernel/errors.js';
import { HttpError } from '../../http/errors.js';
import { errorResponses } from '../../http/schemas.js';
import { checkCsrf, sessionOf } from './authenticator.js';
import { hashPassword } from './passwords.js';
import { loginClientOf, startSession } from './session-cookie.js';
import type { StaffAuth } from './staff-auth.js';
import { changePasswordBody, sessionSchema } from './schemas.js';

export function mountChangePassword(server: FastifyInstance, auth: StaffAuth): void {
  server.withTypeProvider<ZodTypeProvider>().post(
    '/api/auth/change-password',
    {
      schema: {
        tags: ['auth'],
        summary:
          'Change your own password (required after a temporary one); ends your other sessions',
        body: changePasswordBody,
        response: { 200: sessionSchema, ...errorResponses(400, 401, 403, 429) },
      },
    },
    async (req, reply) => {
      const found = await sessionOf(req, auth.sessions);
      if (!found) throw new HttpError(401, 'unauthorized', 'Not signed in.');
      checkCsrf(req, found.session);
      const { currentPassword, newPassword } = req.body;
      try {
        await auth.checkPassword(found.user.email, currentPassword, loginClientOf(req));
      } catch (err) {
        if (isDomainError(err, 'invalid_credentials')) {
          throw invalid('wrong_password', 'The current password is not right.');
        }
        throw err;
      }
      if (newPassword === currentPassword) {
        throw invalid('same_password', 'Choose a password different from the current one.');
      }
      const user = await User.findOneAndUpdate(
        { _id: found.user._id, disabled: { $ne: true } },
        { $set: { passwordHash: await hashPassword(newPassword), mustChangePassword: false } },
        { returnDocument: 'after' },
      ).lean<UserDoc>();
      if (!user) throw notFound('The user');
      const id = user._id.toHexString();
      await auth.sessions.endAllOf(id);
      await recordAudit({
        actor: actorOfUser(user),
        action: 'user.password_change',
        targetType: 'user',
        targetId: id,
        details: { passwordChanged: true, wasTemporary: found.user.mustChangePassword === true },
      });
      return reply.send(await startSession(auth, reply, user));
    },
  );
}
