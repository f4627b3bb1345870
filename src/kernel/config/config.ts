/**
 * Configuration: the environment is parsed and validated once, here, into a typed object.
 * Nothing else in the code reads `process.env`; tests build a Config with `loadConfig({...})`.
 */
import path from 'node:path';
import { z } from 'zod';
import { isSupportedCountry, type CountryCode } from 'libphonenumber-js';
import { DEFAULT_SLA, parseCaseSla, type SlaPolicy } from '../time/sla.js';
import { parseBusinessHours } from '../time/business-hours.js';
import { parseTrustProxy, type TrustProxy } from './trust-proxy.js';
import { parseWebhookAllowHosts, type WebhookAllowList } from './webhook-allow-hosts.js';
import { LOG_FORMATS, type LogFormat } from '../logger.js';
import { ROLES, type Role } from '../roles.js';
import { topologyOf, type RedisTopology } from '../redis/topology.js';

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const flag = z
  .string()
  .optional()
  .transform((v) => v === '1' || v?.toLowerCase() === 'true');

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  PUBLIC_URL: optionalString,
  DATA_DIR: z.string().default('./data'),
  MONGODB_URI: optionalString,
  REDIS_URL: optionalString,
  /** A Redis Cluster (host:port,…) or Sentinel setup instead (src/kernel/redis/topology.ts). */
  REDIS_CLUSTER_NODES: optionalString,
  REDIS_SENTINELS: optionalString,
  REDIS_SENTINEL_NAME: optionalString,
  REDIS_PASSWORD: optionalString,
  FERRETDB_BIN: optionalString,
  /** A bearer token with admin rights: long enough that guessing it is hopeless. */
  ADMIN_TOKEN: optionalString.pipe(
    z.string().min(24, 'must be at least 24 characters (e.g. `openssl rand -hex 24`)').optional(),
  ),
  /** Staff accounts: idle hours before a console session ends; the unattended first admin. */
  SESSION_HOURS: z.coerce.number().positive().default(12),
  ADMIN_EMAIL: optionalString.pipe(z.email().optional()),
  ADMIN_PASSWORD: z
    .string()
    .optional()
    .transform((v) => (v === undefined || v === '' ? undefined : v))
    .pipe(z.string().min(12, 'must be at least 12 characters').optional()),
  /** Single sign-on with OpenID Connect (src/features/auth/sso/); unset OIDC_ISSUER: off. */
  OIDC_ISSUER: optionalString.pipe(z.url().optional()),
  OIDC_CLIENT_ID: optionalString,
  OIDC_CLIENT_SECRET: optionalString,
  OIDC_SCOPES: z.string().default('openid email profile'),
  /** The ID token / userinfo claim holding the user's groups or roles, e.g. `groups`. */
  OIDC_ROLE_CLAIM: optionalString,
  /** `claim value=role` pairs, e.g. `charla-admins=admin,sales=marketer`. */
  OIDC_ROLE_MAP: optionalString,
  /** Role of a new SSO user no mapping names: a role, or `none` (an admin assigns it). */
  OIDC_DEFAULT_ROLE: z.enum([...ROLES, 'none']).default('none'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** json | pretty; unset: pretty when stdout is a terminal, JSON otherwise (src/kernel/logger.ts). */
  LOG_FORMAT: optionalString.pipe(z.enum(LOG_FORMATS).optional()),
  ROLE: z.enum(['all', 'web', 'worker']).default('all'),
  /** OpenTelemetry traces over OTLP/HTTP to this base URL (`/v1/traces`); unset: no tracing. */
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalString.pipe(z.url().optional()),
  OTEL_SERVICE_NAME: z.string().min(1).default('charla'),
  /** Unset: `charla:<installId>`, per database (src/kernel/redis/install-scope.ts). */
  QUEUE_PREFIX: optionalString,
  DEFAULT_LOCALE: z.enum(['es', 'en']).default('es'),
  /** The install's IANA time zone: a contact's when they have none (campaign schedules, quiet hours). */
  DEFAULT_TIMEZONE: z
    .string()
    .trim()
    .default('Europe/Madrid')
    .refine((zone) => {
      try {
        new Intl.DateTimeFormat('en-US', { timeZone: zone });
        return true;
      } catch {
        return false;
      }
    }, 'must be an IANA time zone such as Europe/Madrid or America/Mexico_City'),
  /** Region of phone numbers written without +prefix; unset: ES for es, GB for en. */
  DEFAULT_COUNTRY: optionalString.refine(
    (v) => v === undefined || isSupportedCountry(v.toUpperCase()),
    'must be an ISO 3166 country code libphonenumber knows, e.g. ES, MX, GB, US',
  ),
  WEBCHAT_SESSIONS_PER_MINUTE: z.coerce.number().int().positive().default(20),
  WEBCHAT_MESSAGES_PER_MINUTE: z.coerce.number().int().positive().default(30),
  /** Wrong web chat tokens and forged session ids one client IP may send per minute. */
  WEBCHAT_AUTH_FAILURES_PER_MINUTE: z.coerce.number().int().positive().default(20),
  /** Web chat WebSocket connects per client IP per minute. */
  WEBCHAT_STREAMS_PER_MINUTE: z.coerce.number().int().positive().default(60),
  /** Signs web chat session ids and tokens; unset: generated once, kept in the database. */
  SESSION_SECRET: optionalString.pipe(
    z.string().min(32, 'must be at least 32 characters').optional(),
  ),
  /** Encrypts secrets stored in the database (TOTP); unset: a built-in key, for development only. */
  SECRET_KEY: optionalString.pipe(
    z.string().min(32, 'must be at least 32 characters (e.g. `openssl rand -hex 32`)').optional(),
  ),
  /** Which proxies may set X-Forwarded-For (src/kernel/config/trust-proxy.ts); unset: none. */
  TRUST_PROXY: optionalString,
  NLU_THRESHOLD: z.coerce.number().min(0).max(1).optional(),
  /** Trained NLU models are cached here (src/pipeline/nlu/trained-models.ts); `off`: no cache. */
  NLU_CACHE_DIR: optionalString,
  /** Message texts older than this many days are deleted nightly (metadata kept); unset: keep. */
  RETENTION_DAYS: z.coerce.number().int().positive().optional(),
  /** How long one webhook delivery attempt may take before it counts as failed (retried). */
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  /** Private hosts, addresses or CIDRs webhooks may reach (src/kernel/config/webhook-allow-hosts.ts). */
  WEBHOOK_ALLOW_HOSTS: optionalString,

  /** The install's one currency for order amounts and customer value (ISO 4217). */
  BASE_CURRENCY: z
    .string()
    .regex(/^[A-Za-z]{3}$/, 'must be an ISO 4217 code such as EUR')
    .default('EUR')
    .transform((v) => v.toUpperCase()),
  /** Rates into BASE_CURRENCY, e.g. `USD:0.92,GBP:1.17`; orders in other currencies are refused. */
  CURRENCY_RATES: optionalString,
  /** An order not delivered this many days after it was placed is late (the bot opens a case). */
  ORDER_LATE_DAYS: z.coerce.number().int().positive().default(7),

  BUSINESS_HOURS: optionalString,
  /** Case SLA targets per priority, e.g. `urgent=1h/4h,high=4h/1d` (src/kernel/time/sla.ts). */
  CASE_SLA: optionalString,
  ESCALATION_SLA_MINUTES: z.coerce.number().positive().default(10),
  /** How often waiting escalations are checked against the SLA. */
  ESCALATION_SLA_CHECK_SECONDS: z.coerce.number().positive().default(30),
  SLACK_ESCALATION_CHANNEL: optionalString,

  TELEGRAM_BOT_TOKEN: optionalString,
  TELEGRAM_WEBHOOK_SECRET: optionalString,
  TELEGRAM_API_ROOT: optionalString,

  SLACK_BOT_TOKEN: optionalString,
  SLACK_SIGNING_SECRET: optionalString,
  SLACK_API_URL: optionalString,

  TWITTER_CONSUMER_KEY: optionalString,
  TWITTER_CONSUMER_SECRET: optionalString,
  TWITTER_ACCESS_TOKEN: optionalString,
  TWITTER_ACCESS_SECRET: optionalString,
  TWITTER_API_BASE: optionalString,
  TWITTER_DM_POLL_SECONDS: z.coerce.number().min(0).default(0),

  WHATSAPP_CLOUD_TOKEN: optionalString,
  WHATSAPP_CLOUD_PHONE_ID: optionalString,
  WHATSAPP_APP_SECRET: optionalString,
  WHATSAPP_VERIFY_TOKEN: optionalString,
  WHATSAPP_GRAPH_URL: optionalString,
  /** The WhatsApp Business Account id: its approved message templates are read from Graph. */
  WHATSAPP_WABA_ID: optionalString,
  WHATSAPP_WEB: flag,

  /** Outbound mail (channel replies and system mail), e.g. smtp://user:pass@host:587. */
  SMTP_URL: optionalString,
  /** The support address customers write to; the From of every mail Charla sends. */
  EMAIL_ADDRESS: optionalString.pipe(z.email().optional()),
  /** The name beside EMAIL_ADDRESS in From and the letters' sign-off. */
  EMAIL_FROM_NAME: z.string().default('Charla'),
  /** host:port of the built-in SMTP receiver; unset: no receiver. */
  EMAIL_SMTP_LISTEN: optionalString,
  /** Largest inbound mail the receiver accepts, in bytes (default 10 MB). */
  EMAIL_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(10 * 1024 * 1024),
  /** PEM files of the receiver's STARTTLS certificate and key; unset: no STARTTLS. */
  EMAIL_TLS_CERT: optionalString,
  EMAIL_TLS_KEY: optionalString,
  /** A mailbox to poll instead of (or beside) the receiver, e.g. imaps://user:pass@host:993/INBOX. */
  IMAP_URL: optionalString,
  /** DKIM signing of outbound mail: the private key (PEM, or a path to it) and selector. */
  DKIM_PRIVATE_KEY: optionalString,
  DKIM_SELECTOR: optionalString,
  /** Signing domain; default: EMAIL_ADDRESS's domain. */
  DKIM_DOMAIN: optionalString,
  CHROMIUM_PATH: z.string().default('/usr/bin/chromium'),

  MICROSOFT_APP_ID: optionalString,
  MICROSOFT_APP_PASSWORD: optionalString,
  MICROSOFT_APP_TENANT_ID: optionalString,
  // Advanced (private clouds, tests): where Bot Framework signing keys and tokens come from.
  BOTFRAMEWORK_OPENID_METADATA_URL: optionalString,
  BOTFRAMEWORK_TOKEN_ISSUER: optionalString,
  BOTFRAMEWORK_LOGIN_URL: optionalString,
  BOTFRAMEWORK_OAUTH_SCOPE: optionalString,
  BOTFRAMEWORK_CA_FILE: optionalString,
});

/** DEFAULT_COUNTRY when unset: the shipped flows' examples are Spanish and British numbers. */
const COUNTRY_OF_LOCALE: Record<'es' | 'en', CountryCode> = { es: 'ES', en: 'GB' };

export type RawEnv = Record<string, string | undefined>;

export interface TelegramConfig {
  botToken: string;
  webhookSecret: string;
  apiRoot: string;
}
export interface SlackConfig {
  botToken: string;
  signingSecret: string;
  apiUrl: string | undefined;
  escalationChannel: string | undefined;
}
export interface TwitterConfig {
  consumerKey: string;
  consumerSecret: string;
  accessToken: string;
  accessSecret: string;
  apiBase: string | undefined;
  pollSeconds: number;
}
export interface WhatsAppCloudConfig {
  token: string;
  phoneId: string;
  appSecret: string;
  verifyToken: string;
  graphUrl: string;
  /** WHATSAPP_WABA_ID: where the message templates are listed; unset: no template list. */
  wabaId?: string;
}
export interface WhatsAppWebConfig {
  authDir: string;
  chromiumPath: string;
}
/** Outbound mail (SMTP_URL): one transport for channel replies and system mail. */
export interface MailConfig {
  smtpUrl: string;
  from: { address: string; name: string };
  /** DKIM signing when a key and selector are set; `privateKey` is PEM text or a file path. */
  dkim: { privateKey: string; selector: string; domain: string } | undefined;
}
/** The email channel: on with EMAIL_ADDRESS, SMTP_URL and a way in (receiver or IMAP). */
export interface EmailChannelConfig {
  address: string;
  /** The built-in SMTP receiver (EMAIL_SMTP_LISTEN). */
  listen: { host: string; port: number } | undefined;
  maxBytes: number;
  /** STARTTLS certificate and key files. */
  tls: { certFile: string; keyFile: string } | undefined;
  imapUrl: string | undefined;
}
export interface BotFrameworkConfig {
  appId: string | undefined;
  appPassword: string | undefined;
  tenantId: string | undefined;
  /** Advanced endpoint overrides; all undefined = the public Azure cloud. */
  openIdMetadataUrl: string | undefined;
  tokenIssuer: string | undefined;
  loginUrl: string | undefined;
  oauthScope: string | undefined;
  /** PEM file of extra CA certificates trusted for the login endpoint (private clouds). */
  caFile: string | undefined;
}

/** Single sign-on with an OpenID Connect provider (authorisation code + PKCE). */
export interface OidcConfig {
  issuer: string;
  clientId: string;
  clientSecret: string | undefined;
  /** PUBLIC_URL + /api/auth/sso/callback. */
  redirectUri: string;
  scopes: string;
  roleClaim: string | undefined;
  /** Claim value → role; the first listed value the user has wins. */
  roleMap: Array<[string, Role]>;
  /** Role of a new user no mapping names; undefined: they wait, disabled, for an admin. */
  defaultRole: Role | undefined;
}

export const OIDC_CALLBACK_PATH = '/api/auth/sso/callback';

export interface Config {
  port: number;
  host: string;
  publicUrl: string | undefined;
  dataDir: string;
  mongodbUri: string | undefined;
  redisUrl: string | undefined;
  /** A Redis Cluster or Sentinel setup; undefined: one server (redisUrl or local/embedded). */
  redisTopology: RedisTopology | undefined;
  ferretdbBin: string | undefined;
  adminToken: string | undefined;
  /** Staff accounts (src/features/auth): session idle expiry and the unattended first admin. */
  auth: {
    sessionHours: number;
    bootstrapAdmin: { email: string; password: string } | undefined;
    oidc: OidcConfig | undefined;
  };
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  /** Unset: chosen by whether stdout is a terminal. */
  logFormat?: LogFormat;
  role: 'all' | 'web' | 'worker';
  /** OTEL_EXPORTER_OTLP_ENDPOINT and OTEL_SERVICE_NAME (src/kernel/tracing.ts). */
  tracing: { endpoint: string | undefined; serviceName: string };
  /** QUEUE_PREFIX as configured; undefined: the app derives it from the install id. */
  queuePrefix: string | undefined;
  defaultLocale: 'es' | 'en';
  /** DEFAULT_TIMEZONE: a contact's time zone when they have none (IANA name). */
  defaultTimeZone: string;
  /** Region of national phone numbers (a contact's own known country wins). */
  defaultCountry: CountryCode;
  /**
   * Abuse limits of the public web chat API: new sessions, failed authentications and stream
   * connects per client IP; messages per (authenticated) session.
   */
  webchatLimits: {
    sessionsPerMinute: number;
    messagesPerMinute: number;
    authFailuresPerMinute: number;
    streamsPerMinute: number;
  };
  /** Signs web chat session ids and tokens; undefined: a secret generated once and stored. */
  sessionSecret: string | undefined;
  /** SECRET_KEY: encrypts TOTP secrets at rest (src/kernel/secret-box.ts); undefined: dev key. */
  secretKey: string | undefined;
  /** fastify's trustProxy: who may say, in X-Forwarded-For, which IP a request comes from. */
  trustProxy: TrustProxy;
  nluThreshold: number | undefined;
  /** NLU_CACHE_DIR (default DATA_DIR/nlu-cache); undefined when set to `off`. */
  nluCacheDir: string | undefined;
  /** RETENTION_DAYS: message texts older than this are deleted nightly; undefined: kept. */
  retentionDays: number | undefined;
  /** WEBHOOK_TIMEOUT_MS: the timeout of one webhook delivery attempt. */
  webhookTimeoutMs: number;
  /** WEBHOOK_ALLOW_HOSTS: the non-public hosts and ranges webhooks may reach (default none). */
  webhookAllowHosts: WebhookAllowList;
  /** CASE_SLA (defaults for priorities it leaves out). */
  caseSla: SlaPolicy;
  /** Orders and customer value: BASE_CURRENCY, CURRENCY_RATES, ORDER_LATE_DAYS. */
  orders: OrdersConfig;
  escalation: {
    businessHours: string | undefined;
    slaMinutes: number;
    slaCheckSeconds: number;
  };
  channels: {
    telegram: TelegramConfig | undefined;
    slack: SlackConfig | undefined;
    twitter: TwitterConfig | undefined;
    whatsappCloud: WhatsAppCloudConfig | undefined;
    whatsappWeb: WhatsAppWebConfig | undefined;
    botframework: BotFrameworkConfig | undefined;
    email: EmailChannelConfig | undefined;
  };
  /** SMTP_URL: the mail transport (src/kernel/contracts/mail.ts); undefined: no mail is sent. */
  mail: MailConfig | undefined;
  /** Why each unconfigured channel is off, for one log line each at start-up. */
  disabledChannels: Record<string, string>;
}

/** The config a running app uses: the queue prefix is resolved (explicit or per install). */
export type RuntimeConfig = Config & { queuePrefix: string };

export class ConfigError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid configuration:\n  - ${issues.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

type Env = z.infer<typeof envSchema>;

export interface OrdersConfig {
  baseCurrency: string;
  /** Currency → how many base-currency units one unit is worth (the base currency is 1). */
  rates: Readonly<Record<string, number>>;
  lateDays: number;
}

/** CURRENCY_RATES (`USD:0.92,GBP:1.17`) into a rates table; throws on a malformed pair. */
export function parseCurrencyRates(raw: string | undefined, base: string): Record<string, number> {
  const rates: Record<string, number> = { [base]: 1 };
  for (const pair of (raw ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const m = /^([A-Za-z]{3})\s*[:=]\s*(\d+(?:\.\d+)?)$/.exec(pair);
    const rate = m ? Number(m[2]) : NaN;
    if (!m || !(rate > 0)) {
      throw new Error(
        `CURRENCY_RATES: "${pair}" is not CODE:rate with a positive rate (e.g. USD:0.92)`,
      );
    }
    const code = m[1]!.toUpperCase();
    if (code !== base) rates[code] = rate;
  }
  return rates;
}

function ordersOf(e: Env): OrdersConfig {
  try {
    return {
      baseCurrency: e.BASE_CURRENCY,
      rates: parseCurrencyRates(e.CURRENCY_RATES, e.BASE_CURRENCY),
      lateDays: e.ORDER_LATE_DAYS,
    };
  } catch (err) {
    throw new ConfigError([(err as Error).message]);
  }
}

/** The checks the schema cannot make: business hours, case SLA, the admin pair, trusted proxies. */
function parsedPolicies(e: Env): {
  caseSla: SlaPolicy;
  trustProxy: TrustProxy;
  webhookAllowHosts: WebhookAllowList;
} {
  if (e.BUSINESS_HOURS !== undefined) {
    try {
      parseBusinessHours(e.BUSINESS_HOURS);
    } catch (err) {
      throw new ConfigError([(err as Error).message]);
    }
  }
  let caseSla = DEFAULT_SLA;
  if (e.CASE_SLA !== undefined) {
    try {
      caseSla = parseCaseSla(e.CASE_SLA);
    } catch (err) {
      throw new ConfigError([(err as Error).message]);
    }
  }
  if ((e.ADMIN_EMAIL === undefined) !== (e.ADMIN_PASSWORD === undefined)) {
    throw new ConfigError(['ADMIN_EMAIL and ADMIN_PASSWORD: set both or neither']);
  }
  let trustProxy: TrustProxy;
  try {
    trustProxy = parseTrustProxy(e.TRUST_PROXY);
  } catch (err) {
    throw new ConfigError([(err as Error).message]);
  }
  let webhookAllowHosts: WebhookAllowList;
  try {
    webhookAllowHosts = parseWebhookAllowHosts(e.WEBHOOK_ALLOW_HOSTS);
  } catch (err) {
    throw new ConfigError([(err as Error).message]);
  }
  return { caseSla, trustProxy, webhookAllowHosts };
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

function redisTopologyOf(e: Env): RedisTopology | undefined {
  try {
    return topologyOf(e);
  } catch (err) {
    throw new ConfigError([(err as Error).message]);
  }
}

/** OIDC_* as a typed block; undefined when OIDC_ISSUER is unset. Throws ConfigError. */
function oidcOf(e: Env): OidcConfig | undefined {
  if (e.OIDC_ISSUER === undefined) return undefined;
  const issues: string[] = [];
  if (e.OIDC_CLIENT_ID === undefined) issues.push('OIDC_CLIENT_ID: needed with OIDC_ISSUER');
  if (e.PUBLIC_URL === undefined) issues.push('PUBLIC_URL: needed with OIDC_ISSUER (the callback)');
  const issuer = new URL(e.OIDC_ISSUER);
  if (issuer.protocol !== 'https:' && !LOOPBACK.has(issuer.hostname)) {
    issues.push('OIDC_ISSUER: must be https:// (plain http only on 127.0.0.1/localhost)');
  }
  const roleMap: Array<[string, Role]> = [];
  for (const pair of (e.OIDC_ROLE_MAP ?? '').split(',').filter((p) => p.trim() !== '')) {
    const at = pair.lastIndexOf('=');
    const value = pair.slice(0, at).trim();
    const role = pair.slice(at + 1).trim() as Role;
    if (at < 1 || !ROLES.includes(role)) {
      issues.push(`OIDC_ROLE_MAP: "${pair.trim()}" is not value=role (roles: ${ROLES.join(', ')})`);
    } else roleMap.push([value, role]);
  }
  if (roleMap.length > 0 && e.OIDC_ROLE_CLAIM === undefined) {
    issues.push('OIDC_ROLE_CLAIM: needed with OIDC_ROLE_MAP');
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return {
    issuer: e.OIDC_ISSUER,
    clientId: e.OIDC_CLIENT_ID!,
    clientSecret: e.OIDC_CLIENT_SECRET,
    redirectUri: `${e.PUBLIC_URL!.replace(/\/$/, '')}${OIDC_CALLBACK_PATH}`,
    scopes: e.OIDC_SCOPES,
    roleClaim: e.OIDC_ROLE_CLAIM,
    roleMap,
    defaultRole: e.OIDC_DEFAULT_ROLE === 'none' ? undefined : e.OIDC_DEFAULT_ROLE,
  };
}

/**
 * Each channel's settings, or undefined when its variables are missing; `disabledChannels` says
 * why each is off (one log line each at start-up, in this order).
 */
/** SMTP_URL and DKIM_*; undefined without SMTP_URL. Throws ConfigError. */
function mailOf(e: Env): MailConfig | undefined {
  const issues: string[] = [];
  if ((e.DKIM_PRIVATE_KEY === undefined) !== (e.DKIM_SELECTOR === undefined)) {
    issues.push('DKIM_PRIVATE_KEY and DKIM_SELECTOR: set both or neither');
  }
  if (e.SMTP_URL === undefined) {
    if (issues.length > 0) throw new ConfigError(issues);
    return undefined;
  }
  let url: URL | undefined;
  try {
    url = new URL(e.SMTP_URL);
  } catch {
    url = undefined;
  }
  if (!url || !['smtp:', 'smtps:'].includes(url.protocol)) {
    issues.push('SMTP_URL: must be smtp://[user:pass@]host[:port] or smtps://…');
  }
  if (e.EMAIL_ADDRESS === undefined) {
    issues.push('EMAIL_ADDRESS: needed with SMTP_URL (the From of every mail)');
  }
  if (issues.length > 0) throw new ConfigError(issues);
  const address = e.EMAIL_ADDRESS!.toLowerCase();
  return {
    smtpUrl: e.SMTP_URL,
    from: { address, name: e.EMAIL_FROM_NAME },
    dkim:
      e.DKIM_PRIVATE_KEY && e.DKIM_SELECTOR
        ? {
            privateKey: e.DKIM_PRIVATE_KEY,
            selector: e.DKIM_SELECTOR,
            domain: e.DKIM_DOMAIN ?? address.slice(address.lastIndexOf('@') + 1),
          }
        : undefined,
  };
}

/** `host:port` (IPv6 in brackets); undefined when malformed. */
function hostPort(value: string): { host: string; port: number } | undefined {
  const m = /^\[?([^\]]*?)\]?:(\d{1,5})$/.exec(value);
  const port = m ? Number(m[2]) : NaN;
  return m && m[1] && port <= 65535 ? { host: m[1], port } : undefined;
}

function emailChannelOf(
  e: Env,
  need: (name: string, vars: Record<string, string | undefined>) => boolean,
): EmailChannelConfig | undefined {
  const way = e.EMAIL_SMTP_LISTEN ?? e.IMAP_URL;
  const on = need('email', {
    EMAIL_ADDRESS: e.EMAIL_ADDRESS,
    SMTP_URL: e.SMTP_URL,
    'EMAIL_SMTP_LISTEN or IMAP_URL': way,
  });
  const listen = e.EMAIL_SMTP_LISTEN === undefined ? undefined : hostPort(e.EMAIL_SMTP_LISTEN);
  if (e.EMAIL_SMTP_LISTEN !== undefined && !listen) {
    throw new ConfigError(['EMAIL_SMTP_LISTEN: must be host:port, e.g. 0.0.0.0:2525']);
  }
  if ((e.EMAIL_TLS_CERT === undefined) !== (e.EMAIL_TLS_KEY === undefined)) {
    throw new ConfigError(['EMAIL_TLS_CERT and EMAIL_TLS_KEY: set both or neither']);
  }
  if (!on) return undefined;
  return {
    address: e.EMAIL_ADDRESS!.toLowerCase(),
    listen,
    maxBytes: e.EMAIL_MAX_BYTES,
    tls:
      e.EMAIL_TLS_CERT && e.EMAIL_TLS_KEY
        ? { certFile: e.EMAIL_TLS_CERT, keyFile: e.EMAIL_TLS_KEY }
        : undefined,
    imapUrl: e.IMAP_URL,
  };
}

function channelsOf(e: Env, dataDir: string): Pick<Config, 'channels' | 'disabledChannels'> {
  const disabled: Record<string, string> = {};
  const need = (name: string, vars: Record<string, string | undefined>): boolean => {
    const missing = Object.entries(vars)
      .filter(([, v]) => v === undefined)
      .map(([k]) => k);
    if (missing.length > 0) disabled[name] = `missing ${missing.join(', ')}`;
    return missing.length === 0;
  };

  const telegram = need('telegram', {
    TELEGRAM_BOT_TOKEN: e.TELEGRAM_BOT_TOKEN,
    TELEGRAM_WEBHOOK_SECRET: e.TELEGRAM_WEBHOOK_SECRET,
  })
    ? {
        botToken: e.TELEGRAM_BOT_TOKEN!,
        webhookSecret: e.TELEGRAM_WEBHOOK_SECRET!,
        apiRoot: e.TELEGRAM_API_ROOT ?? 'https://api.telegram.org',
      }
    : undefined;

  const slack = need('slack', {
    SLACK_BOT_TOKEN: e.SLACK_BOT_TOKEN,
    SLACK_SIGNING_SECRET: e.SLACK_SIGNING_SECRET,
  })
    ? {
        botToken: e.SLACK_BOT_TOKEN!,
        signingSecret: e.SLACK_SIGNING_SECRET!,
        apiUrl: e.SLACK_API_URL,
        escalationChannel: e.SLACK_ESCALATION_CHANNEL,
      }
    : undefined;

  const twitter = need('twitter', {
    TWITTER_CONSUMER_KEY: e.TWITTER_CONSUMER_KEY,
    TWITTER_CONSUMER_SECRET: e.TWITTER_CONSUMER_SECRET,
    TWITTER_ACCESS_TOKEN: e.TWITTER_ACCESS_TOKEN,
    TWITTER_ACCESS_SECRET: e.TWITTER_ACCESS_SECRET,
  })
    ? {
        consumerKey: e.TWITTER_CONSUMER_KEY!,
        consumerSecret: e.TWITTER_CONSUMER_SECRET!,
        accessToken: e.TWITTER_ACCESS_TOKEN!,
        accessSecret: e.TWITTER_ACCESS_SECRET!,
        apiBase: e.TWITTER_API_BASE,
        pollSeconds: e.TWITTER_DM_POLL_SECONDS,
      }
    : undefined;

  const whatsappCloud = need('whatsapp', {
    WHATSAPP_CLOUD_TOKEN: e.WHATSAPP_CLOUD_TOKEN,
    WHATSAPP_CLOUD_PHONE_ID: e.WHATSAPP_CLOUD_PHONE_ID,
    WHATSAPP_APP_SECRET: e.WHATSAPP_APP_SECRET,
    WHATSAPP_VERIFY_TOKEN: e.WHATSAPP_VERIFY_TOKEN,
  })
    ? {
        token: e.WHATSAPP_CLOUD_TOKEN!,
        phoneId: e.WHATSAPP_CLOUD_PHONE_ID!,
        appSecret: e.WHATSAPP_APP_SECRET!,
        verifyToken: e.WHATSAPP_VERIFY_TOKEN!,
        graphUrl: e.WHATSAPP_GRAPH_URL ?? 'https://graph.facebook.com/v21.0',
        ...(e.WHATSAPP_WABA_ID ? { wabaId: e.WHATSAPP_WABA_ID } : {}),
      }
    : undefined;

  if (!e.WHATSAPP_WEB) disabled['whatsapp-web'] = 'WHATSAPP_WEB is not 1';
  const whatsappWeb = e.WHATSAPP_WEB
    ? { authDir: path.join(dataDir, 'whatsapp-web'), chromiumPath: e.CHROMIUM_PATH }
    : undefined;

  // Bot Framework works without credentials against the Emulator; with an app id, JWTs are enforced.
  const botframework =
    e.MICROSOFT_APP_ID !== undefined || e.MICROSOFT_APP_PASSWORD !== undefined
      ? {
          appId: e.MICROSOFT_APP_ID,
          appPassword: e.MICROSOFT_APP_PASSWORD,
          tenantId: e.MICROSOFT_APP_TENANT_ID,
          openIdMetadataUrl: e.BOTFRAMEWORK_OPENID_METADATA_URL,
          tokenIssuer: e.BOTFRAMEWORK_TOKEN_ISSUER,
          loginUrl: e.BOTFRAMEWORK_LOGIN_URL,
          oauthScope: e.BOTFRAMEWORK_OAUTH_SCOPE,
          caFile: e.BOTFRAMEWORK_CA_FILE,
        }
      : undefined;
  if (!botframework) disabled['botframework'] = 'missing MICROSOFT_APP_ID, MICROSOFT_APP_PASSWORD';

  const email = emailChannelOf(e, need);
  return {
    channels: { telegram, slack, twitter, whatsappCloud, whatsappWeb, botframework, email },
    disabledChannels: disabled,
  };
}

/** Parses and validates the environment (defaults to `process.env`). Throws ConfigError. */
export function loadConfig(env: RawEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`),
    );
  }
  const e = parsed.data;
  const { caseSla, trustProxy, webhookAllowHosts } = parsedPolicies(e);
  const dataDir = path.resolve(e.DATA_DIR);
  const { channels, disabledChannels } = channelsOf(e, dataDir);
  return {
    port: e.PORT,
    host: e.HOST,
    publicUrl: e.PUBLIC_URL,
    dataDir,
    mongodbUri: e.MONGODB_URI,
    redisUrl: e.REDIS_URL,
    redisTopology: redisTopologyOf(e),
    ferretdbBin: e.FERRETDB_BIN,
    adminToken: e.ADMIN_TOKEN,
    auth: {
      sessionHours: e.SESSION_HOURS,
      bootstrapAdmin:
        e.ADMIN_EMAIL && e.ADMIN_PASSWORD
          ? { email: e.ADMIN_EMAIL.toLowerCase(), password: e.ADMIN_PASSWORD }
          : undefined,
      oidc: oidcOf(e),
    },
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT,
    role: e.ROLE,
    tracing: { endpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT, serviceName: e.OTEL_SERVICE_NAME },
    queuePrefix: e.QUEUE_PREFIX,
    defaultLocale: e.DEFAULT_LOCALE,
    defaultTimeZone: e.DEFAULT_TIMEZONE,
    defaultCountry: (e.DEFAULT_COUNTRY?.toUpperCase() ??
      COUNTRY_OF_LOCALE[e.DEFAULT_LOCALE]) as CountryCode,
    webchatLimits: {
      sessionsPerMinute: e.WEBCHAT_SESSIONS_PER_MINUTE,
      messagesPerMinute: e.WEBCHAT_MESSAGES_PER_MINUTE,
      authFailuresPerMinute: e.WEBCHAT_AUTH_FAILURES_PER_MINUTE,
      streamsPerMinute: e.WEBCHAT_STREAMS_PER_MINUTE,
    },
    sessionSecret: e.SESSION_SECRET,
    secretKey: e.SECRET_KEY,
    trustProxy,
    nluThreshold: e.NLU_THRESHOLD,
    nluCacheDir:
      e.NLU_CACHE_DIR === 'off' ? undefined : path.resolve(dataDir, e.NLU_CACHE_DIR ?? 'nlu-cache'),
    retentionDays: e.RETENTION_DAYS,
    webhookTimeoutMs: e.WEBHOOK_TIMEOUT_MS,
    webhookAllowHosts,
    caseSla,
    orders: ordersOf(e),
    escalation: {
      businessHours: e.BUSINESS_HOURS,
      slaMinutes: e.ESCALATION_SLA_MINUTES,
      slaCheckSeconds: e.ESCALATION_SLA_CHECK_SECONDS,
    },
    channels,
    disabledChannels,
    mail: mailOf(e),
  };
}
