/**
 * "Forgot password" for staff, by email through the one mail transport (SMTP_URL):
 *   GET  /api/auth/forgot-password → {available}: false without mail or PUBLIC_URL (the console's
 *        login page then says reset by email needs mail set up).
 *   POST /api/auth/forgot-password {email, locale?} → 202 {accepted} always, whether or not the
 *        account exists, is disabled, or mail works: nothing tells an address's owner apart. For
 *        an enabled account a single-use link valid 1 hour is mailed (in `locale`, default
 *        DEFAULT_LOCALE); at most one mail per account per minute. The mail is sent after the
 *        answer, so its time does not tell either.
 *   POST /api/auth/reset-password {token, password} → 204: the password changes, every session of
 *        the user ends, the token is spent; 400 invalid_token for an unknown, used or expired one.
 * Tokens: reset-tokens.ts (shared with staff invitations, whose link lands on the same page and
 * route). Admin-initiated resets are the users page's.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { recordAudit } from '../../kernel/audit.js';
import type { MailTransport } from '../../kernel/contracts/mail.js';
import { actorOfUser, User, type UserDoc } from '../../kernel/db/models/user.js';
import type { Locale } from '../../kernel/vocabulary.js';
import { invalid } from '../../kernel/errors.js';
import { errorResponses, noContent } from '../../http/schemas.js';
import { hashPassword } from './passwords.js';
import {
  forgotPasswordAnswerSchema,
  forgotPasswordBody,
  forgotPasswordStatusSchema,
  resetPasswordBody,
} from './schemas.js';
import type { ResetTokens } from './reset-tokens.js';
import type { SessionStore } from './sessions.js';

export const RESET_TTL_SECONDS = 60 * 60;
const RESEND_SECONDS = 60;

const WORDS = {
  es: {
    subject: 'Restablecer su contraseña de Charla',
    body: (name: string, link: string) =>
      `Hola, ${name}:\n\nAlguien (seguramente usted) ha pedido restablecer la contraseña de su cuenta de Charla. Para elegir una nueva, abra este enlace en la próxima hora:\n\n${link}\n\nEl enlace sirve una sola vez. Si no lo ha pedido usted, ignore este correo: su contraseña no cambia.\n\nUn saludo,\nCharla`,
  },
  en: {
    subject: 'Reset your Charla password',
    body: (name: string, link: string) =>
      `Hello ${name},\n\nSomeone (probably you) asked to reset the password of your Charla account. To choose a new one, open this link within the next hour:\n\n${link}\n\nThe link works once. If you did not ask for it, ignore this email: your password does not change.\n\nKind regards,\nCharla`,
  },
} as const;

export interface PasswordResetDeps {
  redis: Redis;
  prefix: string;
  mail: MailTransport | undefined;
  publicUrl: string | undefined;
  defaultLocale: Locale;
  sessions: SessionStore;
  tokens: ResetTokens;
  logger: Logger;
}

export function mountPasswordReset(server: FastifyInstance, deps: PasswordResetDeps): void {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const available = Boolean(deps.mail && deps.publicUrl);

  async function mailLink(user: UserDoc, locale: Locale): Promise<void> {
    // One mail per account per minute: a button pressed twice, or someone flooding an inbox.
    const fresh = await deps.redis.set(
      `${deps.prefix}:auth:pwreset-sent:${user._id.toHexString()}`,
      '1',
      'EX',
      RESEND_SECONDS,
      'NX',
    );
    if (fresh !== 'OK') return;
    const token = await deps.tokens.issue(user._id.toHexString(), 'reset', RESET_TTL_SECONDS);
    const link = new URL('/console/reset-password', deps.publicUrl);
    link.searchParams.set('token', token);
    const w = WORDS[locale];
    await deps.mail!.send({
      to: user.email,
      subject: w.subject,
      text: w.body(user.name, link.toString()),
      headers: { 'Auto-Submitted': 'auto-generated' },
    });
    await recordAudit({
      actor: actorOfUser(user),
      action: 'auth.password_reset_requested',
      targetType: 'user',
      targetId: user._id.toHexString(),
    });
  }

  app.get(
    '/api/auth/forgot-password',
    {
      schema: {
        tags: ['auth'],
        summary: 'Whether password reset by email is available (mail set up)',
        response: { 200: forgotPasswordStatusSchema },
      },
    },
    async () => ({ available }),
  );

  app.post(
    '/api/auth/forgot-password',
    {
      schema: {
        tags: ['auth'],
        summary: 'Email a password reset link; always 202, whether or not the account exists',
        body: forgotPasswordBody,
        response: { 202: forgotPasswordAnswerSchema, ...errorResponses(400) },
      },
    },
    async (req, reply) => {
      const { email, locale } = req.body;
      if (available) {
        void User.findOne({ email, disabled: { $ne: true } })
          .lean<UserDoc>()
          .then((user) => (user ? mailLink(user, locale ?? deps.defaultLocale) : undefined))
          .catch((err: unknown) =>
            deps.logger.warn(
              { err: err instanceof Error ? err.message : String(err) },
              'password reset mail not sent',
            ),
          );
      }
      return reply.status(202).send({ accepted: true as const });
    },
  );

  app.post(
    '/api/auth/reset-password',
    {
      schema: {
        tags: ['auth'],
        summary: 'Choose a new password with an emailed reset token; ends every session',
        body: resetPasswordBody,
        response: { 204: noContent.describe('Password changed'), ...errorResponses(400) },
      },
    },
    async (req, reply) => {
      const { token, password } = req.body;
      const badToken = () =>
        invalid('invalid_token', 'This reset link is not valid or has expired.');
      // Spent on first use, whatever follows.
      const spent = await deps.tokens.spend(token);
      if (!spent) throw badToken();
      const { userId, purpose } = spent;
      const user = await User.findOneAndUpdate(
        { _id: userId, disabled: { $ne: true } },
        { $set: { passwordHash: await hashPassword(password), mustChangePassword: false } },
        { new: true },
      ).lean<UserDoc>();
      if (!user) throw badToken();
      await deps.sessions.endAllOf(userId);
      await recordAudit({
        actor: actorOfUser(user),
        action: 'auth.password_reset',
        targetType: 'user',
        targetId: userId,
        details: {
          passwordChanged: true,
          by: purpose === 'invitation' ? 'invitation link' : 'email link',
        },
      });
      return reply.status(204).send(null);
    },
  );
}
