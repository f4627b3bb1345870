/**
 * Fake Bot Framework identity services on 127.0.0.1:
 * - the channel side: OpenID metadata + JWKS (a test RSA key, with endorsements), and real RS256
 *   JWTs signed with that key, as the Bot Connector sends them to a bot;
 * - the login side: an HTTPS (self-signed, 127.0.0.1) Azure AD-like authority serving OpenID
 *   configuration and a client-credentials token endpoint, which MSAL talks to.
 */
import { execFileSync } from 'node:child_process';
import { createSign, generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readBody } from './loopback.js';

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

function json(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** An RS256 JWT signed with `key`. */
export function signJwt(key: KeyObject, kid: string, claims: Record<string, unknown>): string {
  const header = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid }));
  const payload = b64url(JSON.stringify(claims));
  const signature = createSign('RSA-SHA256').update(`${header}.${payload}`).sign(key);
  return `${header}.${payload}.${b64url(signature)}`;
}

export interface ChannelTokenOptions {
  appId: string;
  serviceUrl: string;
  /** Overrides, e.g. a wrong audience or an expired `exp`. */
  claims?: Record<string, unknown>;
  /** Sign with another key that the metadata does not publish under this kid. */
  forgedKey?: KeyObject;
}

export interface FakeBotIdentity {
  /** OpenID metadata URL for BOTFRAMEWORK_OPENID_METADATA_URL. */
  openIdMetadataUrl: string;
  /** Issuer the tokens carry, for BOTFRAMEWORK_TOKEN_ISSUER. */
  issuer: string;
  /** The HTTPS authority for BOTFRAMEWORK_LOGIN_URL. */
  loginUrl: string;
  /** PEM file of the login server's self-signed certificate, for BOTFRAMEWORK_CA_FILE. */
  caFile: string;
  /** Access tokens the login endpoint issued (the connector fake accepts only these). */
  issuedTokens: Set<string>;
  /** Client-credential requests the login endpoint received. */
  tokenRequests: Array<Record<string, string>>;
  channelToken(opts: ChannelTokenOptions): string;
  close(): Promise<void>;
}

export async function startFakeBotIdentity(opts: {
  appId: string;
  appPassword: string;
  tenant?: string;
  /** Channels the signing key is endorsed for. */
  endorsements?: string[];
}): Promise<FakeBotIdentity> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = `test-key-${randomUUID().slice(0, 8)}`;
  const jwk = publicKey.export({ format: 'jwk' });
  const issuedTokens = new Set<string>();
  const tokenRequests: Array<Record<string, string>> = [];
  const tenant = opts.tenant ?? 'botframework.test';

  // Channel side (plain HTTP: the connector library fetches metadata with node-fetch).
  const metadata = createHttpServer((req, res) => {
    const base = `http://127.0.0.1:${(metadata.address() as AddressInfo).port}`;
    if (req.url === '/v1/.well-known/openidconfiguration') {
      return json(res, 200, { issuer: base, jwks_uri: `${base}/v1/.well-known/keys` });
    }
    if (req.url === '/v1/.well-known/keys') {
      return json(res, 200, {
        keys: [
          {
            kty: 'RSA',
            use: 'sig',
            kid,
            n: jwk.n,
            e: jwk.e,
            endorsements: opts.endorsements ?? ['webchat', 'directline', 'msteams', 'emulator'],
          },
        ],
      });
    }
    return json(res, 404, {});
  });
  await new Promise<void>((r) => metadata.listen(0, '127.0.0.1', r));
  const metadataBase = `http://127.0.0.1:${(metadata.address() as AddressInfo).port}`;

  // Login side: MSAL insists on HTTPS, so a throwaway self-signed certificate for 127.0.0.1.
  const dir = mkdtempSync(path.join(tmpdir(), 'charla-bf-tls-'));
  const keyFile = path.join(dir, 'key.pem');
  const caFile = path.join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      caFile,
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  const login = createHttpsServer(
    { key: readFileSync(keyFile), cert: readFileSync(caFile) },
    (req, res) => {
      void (async () => {
        const base = `https://127.0.0.1:${(login.address() as AddressInfo).port}/${tenant}`;
        const url = (req.url ?? '').split('?')[0];
        const body = await readBody(req);
        if (req.method === 'GET' && url === `/${tenant}/v2.0/.well-known/openid-configuration`) {
          return json(res, 200, {
            issuer: `${base}/v2.0`,
            authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
            token_endpoint: `${base}/oauth2/v2.0/token`,
            end_session_endpoint: `${base}/oauth2/v2.0/logout`,
            jwks_uri: `${base}/discovery/v2.0/keys`,
            response_types_supported: ['code', 'token'],
          });
        }
        if (req.method === 'POST' && url === `/${tenant}/oauth2/v2.0/token`) {
          const form = Object.fromEntries(new URLSearchParams(body));
          tokenRequests.push(form);
          if (form.client_id !== opts.appId || form.client_secret !== opts.appPassword) {
            return json(res, 401, {
              error: 'invalid_client',
              error_description: 'bad credentials',
            });
          }
          const token = `fake-access-${randomUUID()}`;
          issuedTokens.add(token);
          return json(res, 200, {
            token_type: 'Bearer',
            expires_in: 3600,
            ext_expires_in: 3600,
            access_token: token,
          });
        }
        return json(res, 404, { error: 'not_found' });
      })();
    },
  );
  await new Promise<void>((r) => login.listen(0, '127.0.0.1', r));
  const loginUrl = `https://127.0.0.1:${(login.address() as AddressInfo).port}/${tenant}`;

  return {
    openIdMetadataUrl: `${metadataBase}/v1/.well-known/openidconfiguration`,
    issuer: metadataBase,
    loginUrl,
    caFile,
    issuedTokens,
    tokenRequests,
    channelToken({ appId, serviceUrl, claims = {}, forgedKey }) {
      const now = Math.floor(Date.now() / 1000);
      return signJwt(forgedKey ?? privateKey, kid, {
        iss: metadataBase,
        aud: appId,
        serviceurl: serviceUrl,
        nbf: now - 60,
        iat: now - 60,
        exp: now + 3600,
        ...claims,
      });
    },
    async close() {
      for (const s of [metadata, login]) {
        s.closeAllConnections();
        await new Promise<void>((r) => s.close(() => r()));
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A second RSA key the metadata does not publish: tokens signed with it must be refused. */
export function otherKey(): KeyObject {
  return generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
}
