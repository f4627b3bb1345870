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

  it('turns mail and the email channel on from their variables, saying what is missing', () => {
    const none = loadConfig({});
    expect(none.mail).toBeUndefined();
    expect(none.disabledChannels.email).toBe(
      'missing EMAIL_ADDRESS, SMTP_URL, EMAIL_SMTP_LISTEN or IMAP_URL',
    );
    // Outbound mail alone (system mail) without a way in: the channel stays off.
    const out = loadConfig({ SMTP_URL: 'smtp://u:p@relay:587', EMAIL_ADDRESS: 'Help@Shop.test' });
    expect(out.mail).toMatchObject({ from: { address: 'help@shop.test' }, dkim: undefined });
    expect(out.disabledChannels.email).toBe('missing EMAIL_SMTP_LISTEN or IMAP_URL');
    const full = loadConfig({
      SMTP_URL: 'smtp://relay:25',
      EMAIL_ADDRESS: 'help@shop.test',
      EMAIL_SMTP_LISTEN: '0.0.0.0:2525',
      DKIM_PRIVATE_KEY: '/etc/dkim.pem',
      DKIM_SELECTOR: 's1',
    });
    expect(full.channels.email?.listen).toEqual({ host: '0.0.0.0', port: 2525 });
    expect(full.mail?.dkim).toEqual({
      privateKey: '/etc/dkim.pem',
      selector: 's1',
      domain: 'shop.test',
    });
    expect(() => loadConfig({ SMTP_URL: 'smtp://relay:25' })).toThrow(/EMAIL_ADDRESS: needed/);
    expect(() => loadConfig({ SMTP_URL: 'http://relay', EMAIL_ADDRESS: 'a@b.test' })).toThrow(
      /SMTP_URL: must be/,
    );
    expect(() => loadConfig({ DKIM_SELECTOR: 's1' })).toThrow(/set both or neither/);
    expect(() => loadConfig({ EMAIL_SMTP_LISTEN: '2525' })).toThrow(/must be host:port/);
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

  it('reads DEFAULT_TIMEZONE (Europe/Madrid unless set) and refuses a zone Intl does not know', () => {
    expect(loadConfig({}).defaultTimeZone).toBe('Europe/Madrid');
    expect(loadConfig({ DEFAULT_TIMEZONE: 'America/Lima' }).defaultTimeZone).toBe('America/Lima');
    expect(() => loadConfig({ DEFAULT_TIMEZONE: 'Mars/Olympus' })).toThrow(/DEFAULT_TIMEZONE/);
  });
});
