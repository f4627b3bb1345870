/** Staff-account settings in the config: SESSION_HOURS and the unattended first admin. */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/kernel/config/config.js';

describe('staff account config', () => {
  it('defaults to 12 idle hours and no bootstrap admin', () => {
    expect(loadConfig({}).auth).toEqual({ sessionHours: 12, bootstrapAdmin: undefined });
  });

  it('reads SESSION_HOURS (fractions allowed) and a lowercased ADMIN_EMAIL', () => {
    const config = loadConfig({
      SESSION_HOURS: '0.5',
      ADMIN_EMAIL: ' Boss@Example.com ',
      ADMIN_PASSWORD: 'twelve chars!',
    });
    expect(config.auth).toEqual({
      sessionHours: 0.5,
      bootstrapAdmin: { email: 'boss@example.com', password: 'twelve chars!' },
    });
  });

  it('refuses bad values, naming the variable and never echoing the password', () => {
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig(env);
      } catch (err) {
        expect(err).toBeInstanceOf(ConfigError);
        return (err as ConfigError).issues.join('\n');
      }
      throw new Error('expected a ConfigError');
    };
    expect(problems({ SESSION_HOURS: '0' })).toMatch(/SESSION_HOURS/);
    expect(problems({ SESSION_HOURS: 'soon' })).toMatch(/SESSION_HOURS/);
    expect(problems({ ADMIN_EMAIL: 'not-an-email', ADMIN_PASSWORD: 'long enough pw' })).toMatch(
      /ADMIN_EMAIL/,
    );
    const short = problems({ ADMIN_EMAIL: 'a@example.com', ADMIN_PASSWORD: 'hunter2' });
    expect(short).toMatch(/ADMIN_PASSWORD: must be at least 12 characters/);
    expect(short).not.toContain('hunter2');
    expect(problems({ ADMIN_PASSWORD: 'long enough pw' })).toMatch(/set both or neither/);
  });
});
