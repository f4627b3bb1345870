import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/kernel/config/config.js';

describe('config', () => {
  it('runs on defaults with every channel off and says why', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.mongodbUri).toBeUndefined();
    expect(c.channels.telegram).toBeUndefined();
    expect(c.disabledChannels.telegram).toMatch(/TELEGRAM_BOT_TOKEN/);
    expect(c.disabledChannels.whatsapp).toMatch(/WHATSAPP_CLOUD_TOKEN/);
  });

  it('enables a channel only when all its variables are set', () => {
    const partial = loadConfig({ TELEGRAM_BOT_TOKEN: 'x' });
    expect(partial.channels.telegram).toBeUndefined();
    expect(partial.disabledChannels.telegram).toBe('missing TELEGRAM_WEBHOOK_SECRET');
    const full = loadConfig({ TELEGRAM_BOT_TOKEN: 'x', TELEGRAM_WEBHOOK_SECRET: 'y' });
    expect(full.channels.telegram?.apiRoot).toBe('https://api.telegram.org');
  });

  it('treats blank values as unset', () => {
    expect(loadConfig({ MONGODB_URI: '  ' }).mongodbUri).toBeUndefined();
  });

  it('rejects invalid values with every problem listed', () => {
    let err: unknown;
    try {
      loadConfig({ PORT: 'eighty', LOG_LEVEL: 'loud' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).issues.join('\n')).toMatch(/PORT/);
    expect((err as ConfigError).issues.join('\n')).toMatch(/LOG_LEVEL/);
  });

  it('derives DEFAULT_COUNTRY from DEFAULT_LOCALE and refuses an unknown one', () => {
    expect(loadConfig({}).defaultCountry).toBe('ES');
    expect(loadConfig({ DEFAULT_LOCALE: 'en' }).defaultCountry).toBe('GB');
    expect(loadConfig({ DEFAULT_COUNTRY: 'mx' }).defaultCountry).toBe('MX');
    expect(() => loadConfig({ DEFAULT_COUNTRY: 'XX' })).toThrow(/DEFAULT_COUNTRY/);
  });
});
