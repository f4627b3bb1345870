import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Contact } from '../../../src/kernel/db/models/contact.js';
import { startTestApp, type TestApp } from '../../support/app.js';

describe('web chat abuse limits', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({
      WEBCHAT_SESSIONS_PER_MINUTE: '3',
      WEBCHAT_MESSAGES_PER_MINUTE: '2',
    });
  });
  afterAll(() => app?.stop());

  const newSession = () =>
    fetch(`${app.url}/api/webchat/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });

  it('limits new sessions per client and creates nothing past the limit', async () => {
    for (let i = 0; i < 3; i++) expect((await newSession()).status).toBe(201);
    const contacts = await Contact.countDocuments();
    const res = await newSession();
    expect(res.status).toBe(429);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('rate_limited');
    expect(body.error.message).toMatch(/try again/);
    expect(await Contact.countDocuments()).toBe(contacts);
  });

  it('limits messages per session, not per server', async () => {
    await app.charla.services.redis.eval(
      "for _,k in ipairs(redis.call('keys', ARGV[1])) do redis.call('del', k) end",
      0,
      `${app.charla.services.config.queuePrefix}:ratelimit:*`,
    );
    const sessions = await Promise.all([newSession(), newSession()]).then((rs) =>
      Promise.all(rs.map((r) => r.json() as Promise<{ sessionId: string; token: string }>)),
    );
    const post = (s: { sessionId: string; token: string }, text: string) =>
      fetch(`${app.url}/api/webchat/sessions/${s.sessionId}/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${s.token}` },
        body: JSON.stringify({ text }),
      });
    const [a, b] = sessions as [
      { sessionId: string; token: string },
      { sessionId: string; token: string },
    ];
    expect((await post(a, 'hola')).status).toBe(202);
    expect((await post(a, 'hola otra vez')).status).toBe(202);
    expect((await post(a, 'y otra')).status).toBe(429);
    expect((await post(b, 'hola')).status).toBe(202);
  });
});
