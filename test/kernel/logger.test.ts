/**
 * Log formats: JSON for collectors, pretty for a terminal, LOG_FORMAT deciding; redaction is
 * pino's and so the same in both (no email, token or message text in a pretty line either).
 */
import { describe, expect, it } from 'vitest';
import { chooseLogFormat, createLogger } from '../../src/kernel/logger.js';
import { loadConfig } from '../../src/kernel/config/config.js';

function sink() {
  const lines: string[] = [];
  return { lines, write: (line: string) => void lines.push(line) };
}

const PERSONAL = {
  email: 'ana@example.com',
  token: 'tok-0123456789abcdef',
  contact: { email: 'luis@example.com', phone: '+34600111222' },
  text: 'my card is 4111 1111 1111 1111',
};

describe('log format', () => {
  it('is pretty on a terminal and JSON otherwise, unless LOG_FORMAT says', () => {
    expect(chooseLogFormat(undefined, true)).toBe('pretty');
    expect(chooseLogFormat(undefined, false)).toBe('json');
    expect(chooseLogFormat('json', true)).toBe('json');
    expect(chooseLogFormat('pretty', false)).toBe('pretty');
  });

  it('LOG_FORMAT takes json or pretty and nothing else', () => {
    expect(loadConfig({}).logFormat).toBeUndefined();
    expect(loadConfig({ LOG_FORMAT: 'pretty' }).logFormat).toBe('pretty');
    expect(loadConfig({ LOG_FORMAT: 'json' }).logFormat).toBe('json');
    expect(() => loadConfig({ LOG_FORMAT: 'xml' })).toThrow(/LOG_FORMAT/);
  });

  it('writes one JSON object per line by default to a destination', () => {
    const out = sink();
    createLogger('info', out).info({ conversationId: 'c1' }, 'turn done');
    const entry = JSON.parse(out.lines[0]!) as Record<string, unknown>;
    expect(entry).toMatchObject({ level: 30, conversationId: 'c1', msg: 'turn done' });
  });

  it('writes a readable line when pretty, without colours off a terminal', () => {
    const out = sink();
    createLogger('info', out, { format: 'pretty' }).info({ conversationId: 'c1' }, 'turn done');
    const line = out.lines.join('');
    expect(line).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: turn done\n/);
    expect(line).toContain('conversationId: "c1"');
    expect(line).not.toContain('{"level"');
    // eslint-disable-next-line no-control-regex
    expect(line).not.toMatch(/\u001b\[/);
  });

  for (const format of ['json', 'pretty'] as const) {
    it(`redacts emails, tokens, phones and texts in ${format} lines`, () => {
      const out = sink();
      createLogger('info', out, { format }).info(PERSONAL, 'visitor wrote');
      const written = out.lines.join('');
      expect(written).toContain('visitor wrote');
      expect(written).toContain('[redacted]');
      for (const secret of ['ana@example.com', 'tok-0123456789abcdef', 'luis@example.com']) {
        expect(written).not.toContain(secret);
      }
      expect(written).not.toContain('+34600111222');
      expect(written).not.toContain('4111');
    });
  }
});
