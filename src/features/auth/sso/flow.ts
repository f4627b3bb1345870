/**
 * The OpenID Connect relying party (openid-client): discovery (once, retried after a failure),
 * the authorisation request (state, nonce, PKCE S256, bound to the browser by a random cookie
 * whose SHA-256 keys the checks in Redis for ten minutes) and the callback (code exchanged with
 * the verifier, state and nonce checked by openid-client, the ID token verified, userinfo merged).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import * as oidc from 'openid-client';
import type { OidcConfig } from '../../../kernel/config/config.js';
import { DomainError } from '../../../kernel/errors.js';

export const SSO_COOKIE = 'charla_sso';
export const SSO_TTL_MS = 10 * 60_000;

export interface SsoClaims {
  sub: string;
  email?: string;
  emailVerified: boolean;
  name?: string;
  /** All claims (ID token, then userinfo), for the role claim. */
  all: Record<string, unknown>;
}

interface Checks {
  state: string;
  nonce: string;
  codeVerifier: string;
  next: string;
}

const sha256 = (v: string) => createHash('sha256').update(v).digest('hex');

/** A refused callback; `reason` (for the audit log) says which check failed. */
export class SsoFailedError extends DomainError {
  constructor(readonly reason: string) {
    super('unauthenticated', 'sso_failed', 'Single sign-on failed.');
  }
}
export const ssoFailed = (reason: string) => new SsoFailedError(reason);

export interface SsoFlow {
  /** Where to send the browser, and the cookie value binding this attempt to it. */
  start(next: string): Promise<{ url: string; binding: string }>;
  /** The verified claims for the callback URL and the browser's binding cookie. */
  finish(
    callbackUrl: URL,
    binding: string | undefined,
  ): Promise<{ claims: SsoClaims; next: string }>;
}

export function createSsoFlow(deps: { config: OidcConfig; redis: Redis; prefix: string }): SsoFlow {
  const { config, redis, prefix } = deps;
  const key = (binding: string) => `${prefix}:sso:${sha256(binding)}`;
  let discovered: Promise<oidc.Configuration> | undefined;

  function provider(): Promise<oidc.Configuration> {
    discovered ??= oidc
      .discovery(new URL(config.issuer), config.clientId, config.clientSecret, undefined, {
        execute: new URL(config.issuer).protocol === 'http:' ? [oidc.allowInsecureRequests] : [],
      })
      .catch((err: unknown) => {
        discovered = undefined; // try again on the next sign-in
        throw err;
      });
    return discovered;
  }

  return {
    async start(next) {
      const server = await provider();
      const checks: Checks = {
        state: oidc.randomState(),
        nonce: oidc.randomNonce(),
        codeVerifier: oidc.randomPKCECodeVerifier(),
        next,
      };
      const binding = randomBytes(32).toString('base64url');
      await redis.set(key(binding), JSON.stringify(checks), 'PX', SSO_TTL_MS);
      const url = oidc.buildAuthorizationUrl(server, {
        redirect_uri: config.redirectUri,
        scope: config.scopes,
        state: checks.state,
        nonce: checks.nonce,
        code_challenge: await oidc.calculatePKCECodeChallenge(checks.codeVerifier),
        code_challenge_method: 'S256',
      });
      return { url: url.href, binding };
    },

    async finish(callbackUrl, binding) {
      if (!binding) throw ssoFailed('no_attempt');
      const raw = await redis.getdel(key(binding));
      if (!raw) throw ssoFailed('expired');
      const checks = JSON.parse(raw) as Checks;
      const server = await provider();
      let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
      try {
        tokens = await oidc.authorizationCodeGrant(server, callbackUrl, {
          pkceCodeVerifier: checks.codeVerifier,
          expectedState: checks.state,
          expectedNonce: checks.nonce,
          idTokenExpected: true,
        });
      } catch (err) {
        throw ssoFailed((err as { code?: string }).code ?? 'rejected');
      }
      const idClaims = tokens.claims();
      if (!idClaims) throw ssoFailed('no_id_token');
      let all: Record<string, unknown> = { ...idClaims };
      if (server.serverMetadata().userinfo_endpoint) {
        const info = await oidc.fetchUserInfo(server, tokens.access_token, idClaims.sub);
        all = { ...all, ...info };
      }
      return {
        next: checks.next,
        claims: {
          sub: idClaims.sub,
          email: typeof all.email === 'string' ? all.email.trim().toLowerCase() : undefined,
          emailVerified: all.email_verified === true,
          name: typeof all.name === 'string' ? all.name : undefined,
          all,
        },
      };
    },
  };
}
