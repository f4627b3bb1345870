/** The pure scorer and the rules' validation (no database). */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseRules, type ScoringRules } from '../../../../src/features/leads/scoring/rules.js';
import { scoreLead } from '../../../../src/features/leads/scoring/score.js';
import { DEFAULT_RULES_FILE } from '../../../../src/features/leads/scoring/store.js';

const shipped = (): ScoringRules => {
  const parsed = parseRules(readFileSync(DEFAULT_RULES_FILE, 'utf8'));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.rules;
};

const DAY = 24 * 60 * 60 * 1000;
const created = new Date('2026-11-01T10:00:00Z');

describe('scoreLead', () => {
  it('adds the points of the shipped rules a lead matches, with reasons', () => {
    const result = scoreLead(
      {
        company: 'Acme',
        phone: '+34600111222',
        intentsSeen: ['greeting', 'pricing'],
        marketingConsent: true,
        createdAt: created,
        returnedAt: new Date(created.getTime() + 3 * DAY),
      },
      shipped(),
    );
    expect(result.reasons.map((r) => `${r.rule}+${r.points}`)).toEqual([
      'company+15',
      'pricing+20',
      'phone+10',
      'returned+10',
      'consent+5',
    ]);
    expect(result.score).toBe(60);
    expect(result.reasons[0]?.label).toEqual({ en: 'company given', es: 'empresa indicada' });
  });

  it('does not count a return after the window, blank fields or other intents', () => {
    const result = scoreLead(
      {
        company: '   ',
        intentsSeen: ['greeting'],
        createdAt: created,
        returnedAt: new Date(created.getTime() + 8 * DAY),
      },
      shipped(),
    );
    expect(result).toEqual({ score: 0, reasons: [] });
  });

  it('clamps to 0..100 and honours negative points, tags, channels and statuses', () => {
    const rules: ScoringRules = {
      rules: [
        { id: 'vip', points: 90, label: { en: 'vip', es: 'vip' }, when: { tag: 'vip' } },
        { id: 'wa', points: 30, label: { en: 'wa', es: 'wa' }, when: { channel: ['whatsapp'] } },
        {
          id: 'lost',
          points: -100,
          label: { en: 'lost', es: 'perdido' },
          when: { status: ['lost'] },
        },
        { id: 'nocon', points: 1, label: { en: 'n', es: 'n' }, when: { consent: false } },
      ],
    };
    expect(scoreLead({ tags: ['vip'], channel: 'whatsapp', status: 'new' }, rules).score).toBe(100);
    const lost = scoreLead({ tags: ['vip'], channel: 'webchat', status: 'lost' }, rules);
    expect(lost.score).toBe(0);
    expect(lost.reasons.map((r) => r.rule)).toEqual(['vip', 'lost', 'nocon']);
  });
});

describe('parseRules', () => {
  it('names the path of each problem and refuses duplicates and unknown conditions', () => {
    const parsed = parseRules(`
rules:
  - { id: a, points: 500, label: { en: x, es: y }, when: { field: company } }
  - { id: a, points: 1, label: { en: x, es: y }, when: { weather: sunny } }
`);
    expect(parsed.ok).toBe(false);
    const paths = parsed.ok ? [] : parsed.problems.map((p) => p.path);
    expect(paths).toContain('rules.0.points');
    expect(paths.some((p) => p.startsWith('rules.1.when'))).toBe(true);
  });

  it('reports YAML syntax errors with their line', () => {
    const parsed = parseRules('rules:\n  - id: a\n    points: [1,\n');
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.problems[0]?.path).toBe('yaml');
      expect(parsed.problems[0]?.line).toBeGreaterThan(0);
    }
  });
});
