import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/kernel/config/config.js';

describe('ADMIN_TOKEN', () => {
  it('is refused at start-up when shorter than 24 characters, with a clear message', () => {
    for (const token of ['a', 'changeme', 'x'.repeat(23)]) {
      let err: unknown;
      try {
        loadConfig({ ADMIN_TOKEN: token });
      } catch (e) {
        err = e;
      }
      expect(err, token).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).message).toMatch(/ADMIN_TOKEN: must be at least 24 characters/);
    }
  });

  it('is accepted from 24 characters, and may stay unset (admin API closed)', () => {
    expect(loadConfig({ ADMIN_TOKEN: 'x'.repeat(24) }).adminToken).toBe('x'.repeat(24));
    expect(loadConfig({}).adminToken).toBeUndefined();
    expect(loadConfig({ ADMIN_TOKEN: '  ' }).adminToken).toBeUndefined();
  });
});
