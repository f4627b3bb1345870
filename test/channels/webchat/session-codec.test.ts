import { describe, expect, it } from 'vitest';
import { createSessionCodec, SESSION_ID_PATTERN } from '../../../channels/webchat/session-codec.js';

const codec = createSessionCodec('a-test-secret-of-at-least-32-characters');
const otherServer = createSessionCodec('another-secret-of-at-least-32-characters');

describe('web chat session codec', () => {
  it('issues ids and tokens it recognises, each unique', () => {
    const ids = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const id = codec.newSessionId();
      expect(id).toMatch(SESSION_ID_PATTERN);
      expect(codec.isSessionId(id)).toBe(true);
      const token = codec.newToken(id);
      expect(token).toMatch(/^[A-Za-z0-9_-]{54}$/);
      expect(codec.isTokenOf(id, token)).toBe(true);
      ids.add(id);
    }
    expect(ids.size).toBe(50);
  });

  it("binds a token to its session id and to this server's secret", () => {
    const a = codec.newSessionId();
    const b = codec.newSessionId();
    expect(codec.isTokenOf(b, codec.newToken(a))).toBe(false);
    const foreignId = otherServer.newSessionId();
    expect(codec.isSessionId(foreignId)).toBe(false);
    expect(codec.isTokenOf(foreignId, otherServer.newToken(foreignId))).toBe(false);
  });

  it('refuses tampered, truncated, padded and malformed credentials', () => {
    const id = codec.newSessionId();
    const token = codec.newToken(id);
    const flip = (s: string, i: number) =>
      s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1);
    for (const bad of [flip(id, 0), flip(id, 20), flip(id, 37), id.slice(0, -1), `${id}A`, '']) {
      expect(codec.isSessionId(bad), bad).toBe(false);
    }
    for (const bad of [flip(token, 0), flip(token, 53), token.slice(0, -1), `${token}=`, 'x']) {
      expect(codec.isTokenOf(id, bad), bad).toBe(false);
    }
    expect(codec.isSessionId('../../etc/passwd/aaaaaaaaaaaaaaaaaaaaaaaaa')).toBe(false);
    expect(codec.isSessionId('AAAAAAAAAAAAAAAAAAAAAA')).toBe(false);
  });
});
