/**
 * The auth feature's public module: staff sign-in (session cookie or ADMIN_TOKEN), users, the
 * audit log and the first-run setup link. It decorates the server with the staff authenticator
 * the guard (src/http/guard.ts) asks on every staff route.
 */
import cookie from '@fastify/cookie';
import { createSecretBox } from '../../kernel/secret-box.js';
import { defineFeature, type KernelContext } from '../../kernel/contracts/feature.js';
import type { MailTransport } from '../../kernel/contracts/mail.js';
import { mountAuditRoutes } from './audit-routes.js';
import { mountChangePassword } from './change-password-routes.js';
import { createInvitations } from './invitations.js';
import { mountPasswordReset } from './password-reset-routes.js';
import { createResetTokens } from './reset-tokens.js';
import { mountAuthRoutes } from './routes.js';
import { createStaffAuth, type StaffAuth, type StaffAuthOptions } from './staff-auth.js';
import { mountUserRoutes } from './user-routes.js';
import { mountSsoRoutes } from './sso/routes.js';
import { mountTwoFactorRoutes } from './two-factor/routes.js';
import { createTwoFactor } from './two-factor/service.js';
import { createTwoStepSignIn } from './two-factor/sign-in.js';

export type { StaffAuthOptions } from './staff-auth.js';

export const authFeature = defineFeature<
  KernelContext & { options: { auth?: StaffAuthOptions }; mail?: MailTransport },
  StaffAuth
>({
  name: 'auth',
  create(ctx) {
    const staffAuth = createStaffAuth({
      config: ctx.config,
      prefix: ctx.config.queuePrefix,
      redis: ctx.redis,
      logger: ctx.logger,
      options: ctx.options.auth,
    });
    const prefix = ctx.config.queuePrefix;
    const secrets = createSecretBox(ctx.config.secretKey);
    const twoFactor = createTwoFactor({ redis: ctx.redis, prefix, secrets });
    const twoStep = createTwoStepSignIn({ auth: staffAuth, twoFactor, redis: ctx.redis, prefix });
    return {
      api: staffAuth,
      async mount(server) {
        await server.register(cookie);
        server.decorate('staffAuthenticator', staffAuth.authenticator);
        mountAuthRoutes(server, staffAuth, twoStep);
        mountChangePassword(server, staffAuth);
        mountTwoFactorRoutes(server, { auth: staffAuth, twoFactor, signIn: twoStep });
        mountSsoRoutes(server, {
          auth: staffAuth,
          config: ctx.config.auth.oidc,
          redis: ctx.redis,
          prefix,
          logger: ctx.logger,
        });
        const tokens = createResetTokens(ctx.redis, prefix);
        mountPasswordReset(server, {
          tokens,
          redis: ctx.redis,
          prefix,
          mail: ctx.mail,
          publicUrl: ctx.config.publicUrl,
          defaultLocale: ctx.config.defaultLocale,
          sessions: staffAuth.sessions,
          logger: ctx.logger,
        });
        mountUserRoutes(server, staffAuth.users, {
          invitations: createInvitations({
            mail: ctx.mail,
            publicUrl: ctx.config.publicUrl,
            tokens,
          }),
          defaultLocale: ctx.config.defaultLocale,
          logger: ctx.logger,
        });
        mountAuditRoutes(server);
      },
      // First run: bootstrap admin from env or print the setup link.
      async start() {
        if (!ctx.config.secretKey) {
          ctx.logger.warn(
            'SECRET_KEY is not set: two-factor secrets are encrypted with the built-in development key; set SECRET_KEY (32+ characters) in production',
          );
        }
        await staffAuth.start();
      },
    };
  },
});
