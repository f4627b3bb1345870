import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/kernel/config/config.js';
import { parseTrustProxy } from '../../../src/kernel/config/trust-proxy.js';

describe('TRUST_PROXY', () => {
  it('trusts nobody when unset, blank, false or 0', () => {
    for (const raw of [undefined, '', '  ', 'false', 'FALSE', '0']) {
      expect(parseTrustProxy(raw), String(raw)).toBe(false);
    }
    expect(loadConfig({}).trustProxy).toBe(false);
  });

  it('reads true, a hop count, and lists of IPs, CIDRs and named ranges', () => {
    expect(parseTrustProxy('true')).toBe(true);
    expect(parseTrustProxy('2')).toBe(2);
    expect(parseTrustProxy('10.0.0.1, 10.1.0.0/16,loopback, ::1, fd00::/8')).toEqual([
      '10.0.0.1',
      '10.1.0.0/16',
      'loopback',
      '::1',
      'fd00::/8',
    ]);
    expect(loadConfig({ TRUST_PROXY: '127.0.0.1' }).trustProxy).toEqual(['127.0.0.1']);
  });

  it('refuses anything else at start-up, naming the bad entry', () => {
    for (const raw of [
      'yes',
      '10.0.0.1,proxy.local',
      '10.0.0.0/33',
      '::1/129',
      '1.2.3.4/8/1',
      '-1',
    ]) {
      expect(() => parseTrustProxy(raw), raw).toThrow(/TRUST_PROXY/);
    }
    let err: unknown;
    try {
      loadConfig({ TRUST_PROXY: '10.0.0.1,proxy.local' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).issues.join('\n')).toMatch(/"proxy\.local"/);
  });
});
