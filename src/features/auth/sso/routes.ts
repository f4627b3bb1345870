/**
 * Single sign-on with OpenID Connect (flow.ts, accounts.ts):
 *   GET /api/auth/sso → {enabled}: whether the login page offers "Sign in with SSO"
 *   GET /api/auth/sso/start?next=/console/… → 302 to the provider (state, nonce, PKCE), with a
 *       short-lived cookie binding the attempt to this browser; 404 when SSO is not configured
 *   GET /api/auth/sso/callback → verifies, finds or links or creates the account, starts the
 *       session like a password sign-in and 302s to `next`; any refusal 302s to
 *       /console/login?sso=failed|disabled|pending (audited), with no session.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { z } from 'zod';
import { recordAudit } from '../../../kernel/audit.js';
import type { OidcConfig } from '../../../kernel/config/config.js';
import { isDomainError, notFound } from '../../../kernel/errors.js';
import { errorResponses } from '../../../http/schemas.js';
import { startSession } from '../session-cookie.js';
import type { StaffAuth } from '../staff-auth.js';
import { accountFor } from './accounts.js';
import { createSsoFlow, SSO_COOKIE, SSO_TTL_MS, SsoFailedError } from './flow.js';
import { ssoStatusSchema, ssoStartQuery } from './schemas.js';

const tags = ['auth'];
const LOGIN_PATH = '/console/login';

/** Only console paths: never an absolute URL slipped into the link. */
export const safeNext = (next: string | undefined) =>
  next && /^\/console(\/|$)/.test(next) && !next.includes('//') && !next.includes('\\')
    ? next
    : '/console/';

/** The refusal shown on the login page for a failed callback. */
function outcomeOf(err: unknown): 'disabled' | 'pending' | 'failed' {
  if (isDomainError(err, 'sso_disabled')) return 'disabled';
  if (isDomainError(err, 'sso_pending')) return 'pending';
  return 'failed';
}

export function mountSsoRoutes(
  server: FastifyInstance,
  deps: {
    auth: StaffAuth;
    config: OidcConfig | undefined;
    redis: Redis;
    prefix: string;
    logger: Logger;
  },
): void {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const { auth, config } = deps;
  const flow = config && createSsoFlow({ config, redis: deps.redis, prefix: deps.prefix });
  const cookieOptions = {
    httpOnly: true,
    sameSite: 'lax' as const,
    path: '/api/auth/sso',
    secure: auth.secureCookie,
  };
  const toLogin = (reply: FastifyReply, outcome: string) =>
    reply.redirect(`${LOGIN_PATH}?sso=${outcome}`, 302);

  app.get(
    '/api/auth/sso',
    {
      schema: {
        tags,
        summary: 'Whether single sign-on (OpenID Connect) is configured',
        response: { 200: ssoStatusSchema },
      },
    },
    async () => ({ enabled: flow !== undefined }),
  );

  app.get(
    '/api/auth/sso/start',
    {
      schema: {
        tags,
        summary: 'Start single sign-on: redirects to the OpenID Connect provider',
        querystring: ssoStartQuery,
        response: { 302: z.null().describe('To the provider'), ...errorResponses(400, 404) },
      },
    },
    async (req, reply) => {
      if (!flow) throw notFound('Single sign-on');
      const { url, binding } = await flow.start(safeNext(req.query.next));
      reply.setCookie(SSO_COOKIE, binding, { ...cookieOptions, maxAge: SSO_TTL_MS / 1000 });
      return reply.redirect(url, 302);
    },
  );

  app.get(
    '/api/auth/sso/callback',
    {
      schema: {
        tags,
        summary: 'Where the provider sends the browser back; signs in and redirects',
        response: {
          302: z.null().describe('To the console or its login page'),
          ...errorResponses(404),
        },
      },
    },
    async (req, reply) => {
      if (!flow || !config) throw notFound('Single sign-on');
      reply.clearCookie(SSO_COOKIE, cookieOptions);
      const query = req.url.includes('?') ? req.url.slice(req.url.indexOf('?')) : '';
      try {
        const { claims, next } = await flow.finish(
          new URL(`${config.redirectUri}${query}`),
          req.cookies?.[SSO_COOKIE],
        );
        const user = await auth.signedIn(await accountFor(config, claims), { via: 'oidc' });
        await startSession(auth, reply, user);
        return reply.redirect(next, 302);
      } catch (err) {
        const outcome = outcomeOf(err);
        if (outcome === 'failed') {
          const reason = err instanceof SsoFailedError ? err.reason : 'error';
          if (!(err instanceof SsoFailedError)) deps.logger.warn({ err }, 'single sign-on failed');
          await recordAudit({
            actor: 'oidc',
            action: 'auth.sso_failed',
            targetType: 'user',
            targetId: 'unknown',
            details: { reason },
          });
        }
        return toLogin(reply, outcome);
      }
    },
  );
}
