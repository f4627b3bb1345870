/**
 * Single sign-on end to end against a real OpenID Connect provider (oidc-provider) on a
 * 127.0.0.1 port started here: the browser's redirects are followed by hand, the provider's
 * development login form is submitted, and Charla's callback is hit with the code it returns.
 * Covers: sign-in with a session like a password sign-in, a user found by `sub` and linked by a
 * verified email, roles from a claim (and assigned by an admin when no mapping names one),
 * disabled users refused, and state, nonce and binding-cookie mismatches refused.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEntry } from '../../../src/kernel/db/models/audit-entry.js';
import { User } from '../../../src/kernel/db/models/user.js';
import { startTestApp, type TestApp } from '../../support/app.js';
import { asAdminToken, call, PASSWORD } from './staff-client.js';

type Claims = Record<string, unknown>;
const accounts = new Map<string, Claims>();

/** A cookie jar for one site (name → value). */
class Jar {
  private cookies = new Map<string, string>();
  take(res: Response) {
    for (const set of res.headers.getSetCookie()) {
      const pair = set.split(';')[0] ?? '';
      const at = pair.indexOf('=');
      const value = pair.slice(at + 1);
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(set))
        this.cookies.delete(pair.slice(0, at));
      else this.cookies.set(pair.slice(0, at), value);
    }
  }
  header() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  get(name: string) {
    return this.cookies.get(name);
  }
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

async function startProvider(port: number, redirectUri: string): Promise<Server> {
  const provider = new Provider(`http://127.0.0.1:${port}`, {
    clients: [
      {
        client_id: 'charla',
        client_secret: 'charla-test-client-secret',
        redirect_uris: [redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'groups'] },
    pkce: { required: () => true },
    cookies: { keys: ['oidc-test-cookie-key'] },
    findAccount: (_ctx, id) => ({
      accountId: id,
      claims: () => ({ sub: id, ...accounts.get(id) }),
    }),
    // Consent is given: the test signs in, it does not click "Authorize".
    async loadExistingGrant(ctx) {
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client!.clientId,
        accountId: ctx.oidc.session!.accountId,
      });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
    features: { devInteractions: { enabled: true } },
  });
  const server = createServer(provider.callback());
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return server;
}

const location = (res: Response) => res.headers.get('location') ?? '';
const get = (url: string, jar: Jar) =>
  fetch(url, { redirect: 'manual', headers: { cookie: jar.header() } }).then((res) => {
    jar.take(res);
    return res;
  });

/** At the provider: from the authorisation URL to Charla's callback URL (with code and state). */
async function signInAtProvider(authUrl: string, accountId: string): Promise<string> {
  const jar = new Jar();
  let res = await get(authUrl, jar);
  let url = new URL(location(res), authUrl).href;
  for (let hop = 0; hop < 6; hop++) {
    if (url.includes('/interaction/')) {
      res = await fetch(url, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ prompt: 'login', login: accountId }).toString(),
      });
      jar.take(res);
    } else {
      res = await get(url, jar);
    }
    const next = new URL(location(res), url).href;
    if (next.includes('/api/auth/sso/callback')) return next;
    url = next;
  }
  throw new Error(`no callback after the provider (last ${res.status} ${url})`);
}

describe('single sign-on (OpenID Connect)', () => {
  let app: TestApp;
  let provider: Server;

  beforeAll(async () => {
    const [charlaPort, providerPort] = [await freePort(), await freePort()];
    const publicUrl = `http://127.0.0.1:${charlaPort}`;
    provider = await startProvider(providerPort, `${publicUrl}/api/auth/sso/callback`);
    app = await startTestApp({
      PORT: String(charlaPort),
      PUBLIC_URL: publicUrl,
      OIDC_ISSUER: `http://127.0.0.1:${providerPort}`,
      OIDC_CLIENT_ID: 'charla',
      OIDC_CLIENT_SECRET: 'charla-test-client-secret',
      OIDC_ROLE_CLAIM: 'groups',
      OIDC_ROLE_MAP: 'crm-admins=admin,crm-sales=marketer',
      OIDC_DEFAULT_ROLE: 'none',
    });
  });
  afterAll(async () => {
    await app?.stop();
    await new Promise((r) => provider?.close(r));
  });

  /** The whole round: start at Charla, sign in at the provider, back to Charla's callback. */
  async function ssoSignIn(accountId: string, tamper?: (authUrl: URL) => void) {
    const jar = new Jar();
    const start = await get(`${app.url}/api/auth/sso/start?next=/console/leads`, jar);
    expect(start.status).toBe(302);
    const authUrl = new URL(location(start));
    tamper?.(authUrl);
    const callback = await signInAtProvider(authUrl.href, accountId);
    const back = await get(callback, jar);
    return { back, jar, authUrl, callback };
  }

  it('starts with state, nonce and PKCE, and signs in with a session (role from the claim)', async () => {
    expect((await call(app, 'GET', '/api/auth/sso')).body).toEqual({ enabled: true });
    accounts.set('ana-sub', {
      email: 'ana.sso@example.com',
      email_verified: true,
      name: 'Ana Sso',
      groups: ['crm-sales'],
    });
    const { back, jar, authUrl } = await ssoSignIn('ana-sub');
    expect(authUrl.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authUrl.searchParams.get('state')).toBeTruthy();
    expect(authUrl.searchParams.get('nonce')).toBeTruthy();
    expect(back.status).toBe(302);
    expect(location(back)).toBe('/console/leads');
    const me = await get(`${app.url}/api/auth/me`, jar);
    const body = await me.json();
    expect(me.status).toBe(200);
    expect(body.user).toMatchObject({ email: 'ana.sso@example.com', role: 'marketer' });
    const login = await AuditEntry.findOne({ action: 'auth.login', targetId: body.user.id }).lean();
    expect(login?.details).toEqual({ via: 'oidc' });

    // The claim changes at the provider: the role follows on the next sign-in (audited).
    accounts.set('ana-sub', {
      ...accounts.get('ana-sub'),
      email: 'ana.new@example.com',
      groups: ['crm-admins'],
    });
    const again = await ssoSignIn('ana-sub');
    expect(location(again.back)).toBe('/console/leads');
    const user = await User.findById(body.user.id).lean();
    expect(user?.role).toBe('admin'); // found by sub, though the email changed
    expect(
      await AuditEntry.countDocuments({
        action: 'user.update',
        targetId: body.user.id,
        actor: 'oidc',
      }),
    ).toBe(1);
  });

  it('links an existing account by verified email; refuses an unverified one', async () => {
    const created = await call(app, 'POST', '/api/users', {
      body: { email: 'bea@example.com', name: 'Bea', role: 'agent', password: PASSWORD },
      headers: asAdminToken,
    });
    accounts.set('bea-unverified', { email: 'bea@example.com', email_verified: false });
    const refused = await ssoSignIn('bea-unverified');
    expect(location(refused.back)).toBe('/console/login?sso=failed');
    expect(refused.jar.get('charla_session')).toBeUndefined();

    accounts.set('bea-sub', { email: 'bea@example.com', email_verified: true });
    const linked = await ssoSignIn('bea-sub');
    expect(location(linked.back)).toBe('/console/leads');
    expect(linked.jar.get('charla_session')).toBeTruthy();
    expect(
      await AuditEntry.countDocuments({ action: 'auth.sso_linked', targetId: created.body.id }),
    ).toBe(1);
    // No group mapped: the agent keeps the role an admin gave.
    expect((await User.findById(created.body.id).lean())?.role).toBe('agent');
  });

  it('a new user no mapping names waits, disabled, until an admin assigns a role', async () => {
    accounts.set('carl-sub', { email: 'carl@example.com', email_verified: true, name: 'Carl' });
    const first = await ssoSignIn('carl-sub');
    expect(location(first.back)).toBe('/console/login?sso=pending');
    expect(first.jar.get('charla_session')).toBeUndefined();
    const carl = await User.findOne({ email: 'carl@example.com' }).lean();
    expect(carl?.disabled).toBe(true);
    expect(
      await AuditEntry.countDocuments({
        action: 'auth.sso_user_created',
        targetId: carl!._id.toHexString(),
      }),
    ).toBe(1);

    const patched = await call(app, 'PATCH', `/api/users/${carl!._id.toHexString()}`, {
      body: { role: 'agent', disabled: false },
      headers: asAdminToken,
    });
    expect(patched.status).toBe(200);
    const second = await ssoSignIn('carl-sub');
    expect(location(second.back)).toBe('/console/leads');
    expect(second.jar.get('charla_session')).toBeTruthy();
  });

  it('refuses a disabled user (audited)', async () => {
    accounts.set('dora-sub', {
      email: 'dora@example.com',
      email_verified: true,
      groups: ['crm-sales'],
    });
    expect(location((await ssoSignIn('dora-sub')).back)).toBe('/console/leads');
    const dora = await User.findOne({ email: 'dora@example.com' }).lean();
    await call(app, 'PATCH', `/api/users/${dora!._id.toHexString()}`, {
      body: { disabled: true },
      headers: asAdminToken,
    });
    const refused = await ssoSignIn('dora-sub');
    expect(location(refused.back)).toBe('/console/login?sso=disabled');
    expect(refused.jar.get('charla_session')).toBeUndefined();
    const audit = await AuditEntry.findOne({
      action: 'auth.sso_refused',
      targetId: dora!._id.toHexString(),
    }).lean();
    expect(audit?.details).toEqual({ reason: 'disabled' });
  });

  it('refuses a changed state, a changed nonce and a callback from another browser', async () => {
    accounts.set('eve-sub', {
      email: 'eve@example.com',
      email_verified: true,
      groups: ['crm-sales'],
    });
    // State: the callback's state is not the one this browser's attempt expects.
    const jar = new Jar();
    const start = await get(`${app.url}/api/auth/sso/start`, jar);
    const callback = new URL(await signInAtProvider(location(start), 'eve-sub'));
    callback.searchParams.set('state', 'forged-state');
    const forged = await get(callback.href, jar);
    expect(location(forged)).toBe('/console/login?sso=failed');
    expect(jar.get('charla_session')).toBeUndefined();

    // Nonce: the ID token carries a nonce other than the one Charla sent.
    const nonce = await ssoSignIn('eve-sub', (url) =>
      url.searchParams.set('nonce', 'forged-nonce'),
    );
    expect(location(nonce.back)).toBe('/console/login?sso=failed');
    expect(nonce.jar.get('charla_session')).toBeUndefined();

    // Binding: a valid callback in a browser that did not start the attempt (login CSRF).
    const victim = new Jar();
    const attacker = new Jar();
    const attackerStart = await get(`${app.url}/api/auth/sso/start`, attacker);
    const attackerCallback = await signInAtProvider(location(attackerStart), 'eve-sub');
    const csrf = await get(attackerCallback, victim);
    expect(location(csrf)).toBe('/console/login?sso=failed');
    expect(victim.get('charla_session')).toBeUndefined();
    const reasons = (await AuditEntry.find({ action: 'auth.sso_failed' }).lean()).map(
      (a) => (a.details as { reason?: string } | undefined)?.reason,
    );
    // Each refused by its own check: state, the ID token's nonce, no attempt in this browser.
    expect(reasons).toEqual(
      expect.arrayContaining([
        'OAUTH_INVALID_RESPONSE',
        'OAUTH_JWT_CLAIM_COMPARISON_FAILED',
        'no_attempt',
        'email_not_verified',
      ]),
    );
    // …and the attacker's own attempt is spent only by its own browser: it still works there.
    expect(location(await get(attackerCallback, attacker))).toBe('/console/');
  });

  it('is off without OIDC_ISSUER', async () => {
    const plain = await startTestApp();
    try {
      expect((await call(plain, 'GET', '/api/auth/sso')).body).toEqual({ enabled: false });
      expect((await call(plain, 'GET', '/api/auth/sso/start')).status).toBe(404);
    } finally {
      await plain.stop();
    }
  });
});
