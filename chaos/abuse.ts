/**
 * The "abuse" scenario set (issue 24): the attacker's repros from the fault and abuse audit, each
 * sent to a booted Charla (a real child process on its own FerretDB and Redis, 127.0.0.1 only)
 * and checked against the fixed behaviour:
 *   nul-webchat        U+0000 in a web chat message → no 5xx (the text is stored cleaned)
 *   nul-telegram       U+0000 in a Telegram text and first_name → no 5xx
 *   owner-lockout      12 wrong passwords for the owner from one client (127.0.0.2), then the
 *                      right one from another (127.0.0.3, and the email upper-cased from
 *                      127.0.0.4) → 200
 *   admin-token-budget 25 wrong admin tokens from one IP, then the right token from it → 200
 *   webchat-budget     25 forged web chat tokens from one IP, then a visitor's own session → 2xx
 *   login-csrf         a form-encoded cross-site POST /api/auth/login → 415/403
 *   webhook-ssrf       webhook targets 127.0.0.1, 169.254.169.254, [::ffff:169.254.169.254],
 *                      0x7f000001 → refused (400 webhook_url_refused)
 *   catalogue-publish  one intent of 15,000 phrases (the audit's 424 KB) → 4xx, nothing saved
 * Not part of `npm test`: `npm run chaos -- --only abuse` (or `npm run chaos:abuse`).
 */
import { startFakeTelegramApi } from '../test/fakes/telegram-api.js';
import { startChildCharla, withDatabase, type ChildCharla } from '../test/support/child-charla.js';
import { requestFrom } from '../test/support/from-ip.js';
import { startOwnedFerretDb, startOwnedRedis } from './services.js';

export interface AbuseCheck {
  name: string;
  /** What was sent, in words. */
  attack: string;
  expected: string;
  got: string;
  ok: boolean;
}

const BOT_TOKEN = '123456:chaos-abuse-bot-token';
const TELEGRAM_SECRET = 'chaos-abuse-telegram-secret';
const OWNER = 'owner@chaos.example';
const OWNER_PASSWORD = 'chaos-owner-password-1';

interface Res {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers, read field by field
  body: any;
}

async function send(
  url: string,
  opts: { method?: string; headers?: Record<string, string>; body?: unknown } = {},
): Promise<Res> {
  const body =
    opts.body === undefined
      ? undefined
      : typeof opts.body === 'string'
        ? opts.body
        : JSON.stringify(opts.body);
  const res = await fetch(url, {
    method: opts.method ?? 'GET',
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...opts.headers,
    },
    body,
    signal: AbortSignal.timeout(60_000),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    /* not JSON: keep the text */
  }
  return { status: res.status, body: parsed };
}

const code = (r: Res) => `${r.status}${r.body?.error?.code ? ` ${r.body.error.code}` : ''}`;

export async function runAbuseScenario(opts: {
  run: string;
  adminToken: string;
}): Promise<AbuseCheck[]> {
  const db = await startOwnedFerretDb();
  const redis = await startOwnedRedis();
  const telegram = await startFakeTelegramApi(BOT_TOKEN);
  let app: ChildCharla | undefined;
  const checks: AbuseCheck[] = [];
  const admin = { authorization: `Bearer ${opts.adminToken}` };
  try {
    app = await startChildCharla({
      REDIS_URL: redis.url,
      MONGODB_URI: withDatabase(db.uri, `chaos_abuse_${opts.run}`),
      ADMIN_TOKEN: opts.adminToken,
      ADMIN_EMAIL: OWNER,
      ADMIN_PASSWORD: OWNER_PASSWORD,
      TELEGRAM_BOT_TOKEN: BOT_TOKEN,
      TELEGRAM_WEBHOOK_SECRET: TELEGRAM_SECRET,
      TELEGRAM_API_ROOT: telegram.url,
    });
    const url = app.url;

    // U+0000 in web chat.
    const created = await send(`${url}/api/webchat/sessions`, {
      method: 'POST',
      body: { locale: 'es' },
    });
    const session = created.body as { sessionId: string; token: string };
    const nul = await send(`${url}/api/webchat/sessions/${session.sessionId}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${session.token}` },
      body: { text: 'a\u0000b' },
    });
    const onlyNul = await send(`${url}/api/webchat/sessions/${session.sessionId}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${session.token}` },
      body: { text: '\u0000' },
    });
    checks.push({
      name: 'nul-webchat',
      attack:
        'POST /api/webchat/sessions/:id/messages {"text":"a\\u0000b"}, then {"text":"\\u0000"}',
      expected: 'no 5xx (2xx, then 400 for a text that is empty once cleaned)',
      got: `session ${created.status}; ${code(nul)}; ${code(onlyNul)}`,
      ok: created.status === 201 && nul.status < 300 && onlyNul.status === 400,
    });

    // U+0000 in a Telegram text and first_name.
    const chatId = 880_001;
    const update = {
      update_id: 8_800_010,
      message: {
        message_id: 10,
        date: Math.floor(Date.now() / 1000),
        from: { id: chatId, is_bot: false, first_name: 'An\u0000a', language_code: 'es' },
        chat: { id: chatId, type: 'private', first_name: 'An\u0000a' },
        text: 'hola\u0000 quiero info',
      },
    };
    const tg = await send(`${url}/webhooks/telegram`, {
      method: 'POST',
      headers: { 'x-telegram-bot-api-secret-token': TELEGRAM_SECRET },
      body: update,
    });
    checks.push({
      name: 'nul-telegram',
      attack: 'Telegram update with U+0000 in message.text and from.first_name',
      expected: 'no 5xx (200)',
      got: code(tg),
      ok: tg.status === 200,
    });

    // The owner cannot be locked out by someone else's failures.
    const login = (ip: string, email: string, password: string) =>
      requestFrom(ip, `${url}/api/auth/login`, { method: 'POST', body: { email, password } });
    const attacker: number[] = [];
    for (let i = 0; i < 12; i++) {
      attacker.push((await login('127.0.0.2', OWNER, `wrong-password-${i}`)).status);
    }
    const owner = await login('127.0.0.3', OWNER, OWNER_PASSWORD);
    const upper = await login('127.0.0.4', OWNER.toUpperCase(), OWNER_PASSWORD);
    const statuses = (list: number[]) =>
      [...new Set(list)].map((s) => `${list.filter((x) => x === s).length} × ${s}`).join(', ');
    checks.push({
      name: 'owner-lockout',
      attack:
        "12 wrong passwords for the owner's email from 127.0.0.2, then the right password from 127.0.0.3 and (email upper-cased) from 127.0.0.4",
      expected: 'the right password from the other clients → 200',
      got: `attacker ${statuses(attacker)}; owner ${code(owner)}; upper-cased ${code(upper)}`,
      ok:
        owner.status === 200 &&
        upper.status === 200 &&
        attacker.every((s) => s === 401 || s === 429),
    });

    // Someone else's wrong admin tokens never block the right one (same IP even).
    const wrongTokens: number[] = [];
    for (let i = 0; i < 25; i++) {
      const r = await requestFrom('127.0.0.5', `${url}/api/webhooks`, {
        headers: { authorization: `Bearer wrong-token-${i}-0123456789abcdef` },
      });
      wrongTokens.push(r.status);
    }
    const rightToken = await requestFrom('127.0.0.5', `${url}/api/webhooks`, { headers: admin });
    checks.push({
      name: 'admin-token-budget',
      attack: '25 wrong admin bearer tokens from 127.0.0.5, then the right one from 127.0.0.5',
      expected: 'wrong ones 401 then 429; the right token → 200',
      got: `wrong ${statuses(wrongTokens)}; right ${rightToken.status}`,
      ok: rightToken.status === 200 && wrongTokens.at(-1) === 429,
    });

    // Web chat refusals from an IP never refuse a visitor's own valid session on that IP.
    const refusals: number[] = [];
    for (let i = 0; i < 25; i++) {
      const r = await requestFrom(
        '127.0.0.6',
        `${url}/api/webchat/sessions/${session.sessionId}/messages`,
        {
          method: 'POST',
          headers: { authorization: `Bearer forged-${i}` },
          body: { text: 'hola' },
        },
      );
      refusals.push(r.status);
    }
    const visitor = await requestFrom('127.0.0.6', `${url}/api/webchat/sessions`, {
      method: 'POST',
      body: { locale: 'es' },
    });
    const own = visitor.body as { sessionId: string; token: string };
    const ownMessage = await requestFrom(
      '127.0.0.6',
      `${url}/api/webchat/sessions/${own.sessionId}/messages`,
      { method: 'POST', headers: { authorization: `Bearer ${own.token}` }, body: { text: 'hola' } },
    );
    checks.push({
      name: 'webchat-budget',
      attack:
        "25 forged tokens for another visitor's session from 127.0.0.6, then a new visitor on 127.0.0.6 writes in their own session",
      expected: 'forged ones 401/403 then 429; the own session → 2xx',
      got: `forged ${statuses(refusals)}; new session ${visitor.status}; own message ${ownMessage.status}`,
      ok: visitor.status === 201 && ownMessage.status < 300 && refusals.at(-1) === 429,
    });

    // Login CSRF: a form posted cross-site.
    const form = await send(`${url}/api/auth/login`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin: 'https://attacker.example',
        'sec-fetch-site': 'cross-site',
      },
      body: `email=${encodeURIComponent(OWNER)}&password=${encodeURIComponent(OWNER_PASSWORD)}`,
    });
    checks.push({
      name: 'login-csrf',
      attack:
        'POST /api/auth/login, application/x-www-form-urlencoded with the right credentials, Origin https://attacker.example, Sec-Fetch-Site cross-site',
      expected: '415 or 403, no session',
      got: `${code(form)}${form.body?.csrfToken || form.body?.user ? ' (signed in!)' : ''}`,
      ok: (form.status === 415 || form.status === 403) && !form.body?.user,
    });

    // SSRF through webhooks.
    const targets = [
      'http://127.0.0.1:6379/',
      'http://169.254.169.254/latest/meta-data/',
      'http://[::ffff:169.254.169.254]/',
      'http://0x7f000001/',
    ];
    const hooks: string[] = [];
    let refused = 0;
    for (const target of targets) {
      const r = await send(`${url}/api/webhooks`, {
        method: 'POST',
        headers: admin,
        body: { url: target, events: ['lead.created'] },
      });
      hooks.push(`${target} → ${code(r)}`);
      if (r.status === 400 && r.body?.error?.code === 'webhook_url_refused') refused++;
    }
    const stored = await send(`${url}/api/webhooks`, { headers: admin });
    const storedCount = Array.isArray(stored.body)
      ? stored.body.length
      : Array.isArray(stored.body?.items)
        ? stored.body.items.length
        : -1;
    checks.push({
      name: 'webhook-ssrf',
      attack: `POST /api/webhooks to ${targets.join(', ')}`,
      expected: '400 webhook_url_refused for each, none stored',
      got: `${refused}/${targets.length} refused (${hooks.join('; ')}); webhooks stored: ${storedCount}`,
      ok: refused === targets.length && storedCount === 0,
    });

    // An oversized catalogue publish.
    const before = await send(`${url}/api/catalogue/draft`, { headers: admin });
    const huge = await send(`${url}/api/catalogue/draft/intents/huge_intent`, {
      method: 'PUT',
      headers: { ...admin, 'accept-language': 'en' },
      body: {
        action: { type: 'answer' },
        training: {
          es: ['hola'],
          en: Array.from({ length: 15_000 }, (_, i) => `please tell me about product ${i}`),
        },
        answers: { es: ['Sí.'], en: ['Yes.'] },
      },
    });
    const after = await send(`${url}/api/catalogue/draft`, { headers: admin });
    const published = await send(`${url}/api/catalogue`, { headers: admin });
    const hasHuge = JSON.stringify(published.body?.intents ?? []).includes('huge_intent');
    checks.push({
      name: 'catalogue-publish',
      attack:
        'PUT /api/catalogue/draft/intents/huge_intent with 15,000 English phrases (how a publish of it starts: the draft)',
      expected: '4xx, draft unchanged, the live catalogue without it',
      got: `${code(huge)}${huge.body?.error?.message ? ` "${String(huge.body.error.message).slice(0, 90)}"` : ''}; draft revision ${before.body?.revision} → ${after.body?.revision}; live catalogue has it: ${hasHuge}`,
      ok:
        huge.status >= 400 &&
        huge.status < 500 &&
        before.body?.revision === after.body?.revision &&
        !hasHuge,
    });
    // The server logs every 5xx (and any other failure) at level error (50) or above.
    const errors = app.logs.filter((l) => Number(l.level ?? 0) >= 50);
    checks.push({
      name: 'no-errors-logged',
      attack: 'every request above',
      expected: 'no error-level line in the server log',
      got: errors.length
        ? `${errors.length} error lines, first: ${String(errors[0]!.msg).slice(0, 120)}`
        : '0 error lines',
      ok: errors.length === 0,
    });
    return checks;
  } finally {
    await app?.stop();
    await telegram.close();
    await redis.stop();
    await db.stop();
  }
}
