/** Case SLAs as pure functions: CASE_SLA parsing, deadlines (business hours pause the clock), states. */
import { describe, expect, it } from 'vitest';
import { caseAlertText } from '../../../src/features/cases/alert.js';
import { ratingOf } from '../../../src/pipeline/actions/csat.js';
import {
  DEFAULT_SLA,
  addClockTime,
  breachedKinds,
  caseSlaAt,
  parseCaseSla,
  slaDeadlines,
} from '../../../src/kernel/time/sla.js';
import { ConfigError, loadConfig } from '../../../src/kernel/config/config.js';
import { parseBusinessHours } from '../../../src/kernel/time/business-hours.js';
import type { CaseDoc } from '../../../src/kernel/db/models/case.js';

const H = 3600_000;
const at = (iso: string) => new Date(iso);

describe('CASE_SLA', () => {
  it('overrides the priorities it names and keeps the defaults of the rest', () => {
    const p = parseCaseSla('urgent=30m/2h, high=2h/1.5d');
    expect(p.urgent).toEqual({ firstResponseMs: 0.5 * H, resolutionMs: 2 * H });
    expect(p.high).toEqual({ firstResponseMs: 2 * H, resolutionMs: 36 * H });
    expect(p.normal).toEqual(DEFAULT_SLA.normal);
    expect(DEFAULT_SLA.low).toEqual({ firstResponseMs: 72 * H, resolutionMs: 168 * H });
  });

  it.each([
    ['urgent=1h', 'cannot read'],
    ['critical=1h/4h', 'unknown priority "critical"'],
    ['urgent=1w/4h', 'duration it cannot read'],
    ['urgent=4h/1h', 'shorter than the first response'],
    ['high=1h/2h,high=2h/3h', 'twice'],
  ])('refuses %s with a clear error at start', (spec, message) => {
    expect(() => parseCaseSla(spec)).toThrow(message);
    expect(() => loadConfig({ CASE_SLA: spec })).toThrow(ConfigError);
  });

  it('is read by the config', () => {
    expect(loadConfig({ CASE_SLA: 'low=1d/2d' }).caseSla.low.resolutionMs).toBe(48 * H);
    expect(loadConfig({}).caseSla).toEqual(DEFAULT_SLA);
  });
});

describe('deadlines', () => {
  const hours = parseBusinessHours('Mon-Fri 09:00-18:00 UTC');

  it('run on the wall clock without business hours', () => {
    const d = slaDeadlines(at('2026-12-04T17:00:00Z'), 'urgent');
    expect(d.firstResponseDueAt).toEqual(at('2026-12-04T18:00:00Z'));
    expect(d.firstResponseRiskAt).toEqual(at('2026-12-04T17:48:00Z'));
    expect(d.resolutionDueAt).toEqual(at('2026-12-04T21:00:00Z'));
  });

  it('pause outside business hours (Friday 17:00 + 4 h → Monday 12:00)', () => {
    expect(addClockTime(at('2026-12-04T17:00:00Z'), 4 * H, hours)).toEqual(
      at('2026-12-07T12:00:00Z'),
    );
    // Opened on Saturday: the clock starts on Monday at 09:00.
    expect(addClockTime(at('2026-12-05T10:00:00Z'), H, hours)).toEqual(at('2026-12-07T10:00:00Z'));
    // Inside one window it is plain addition.
    expect(addClockTime(at('2026-12-07T09:30:00Z'), 2 * H, hours)).toEqual(
      at('2026-12-07T11:30:00Z'),
    );
  });

  it('follow the business time zone', () => {
    const madrid = parseBusinessHours('Mon-Fri 09:00-18:00 Europe/Madrid');
    // 17:30 in Madrid (UTC+1 in December) + 1 h → 30 min left Monday 09:30 Madrid = 08:30 UTC.
    expect(addClockTime(at('2026-12-04T16:30:00Z'), H, madrid)).toEqual(at('2026-12-07T08:30:00Z'));
  });
});

describe('SLA state with an injected clock', () => {
  const opened = at('2026-12-01T10:00:00Z');
  const c = { status: 'open', ...slaDeadlines(opened, 'high') }; // 4 h / 1 d
  const after = (h: number) => new Date(opened.getTime() + h * H);

  it('is ok, then at risk at 80 %, then breached', () => {
    expect(caseSlaAt(c, after(3)).state).toBe('ok');
    expect(caseSlaAt(c, after(3.2)).state).toBe('at_risk');
    expect(caseSlaAt(c, after(3.2)).firstResponse.state).toBe('at_risk');
    expect(caseSlaAt(c, after(4.01)).state).toBe('breached');
    expect(breachedKinds(c, after(4.01))).toEqual(['first_response']);
    expect(breachedKinds(c, after(25))).toEqual(['first_response', 'resolution']);
  });

  it('counts a first response in time as met, and one too late as a breach', () => {
    const answered = { ...c, firstRespondedAt: after(1) };
    const sla = caseSlaAt(answered, after(20));
    expect(sla.firstResponse.state).toBe('ok');
    expect(sla.resolution.state).toBe('at_risk');
    expect(sla.nextDueAt).toEqual(c.resolutionDueAt);
    expect(caseSlaAt({ ...c, firstRespondedAt: after(5) }, after(6)).state).toBe('breached');
  });

  it('stops at resolution: in time stays ok whatever the clock says later', () => {
    const resolved = { ...c, status: 'resolved', resolvedAt: after(2) };
    expect(caseSlaAt(resolved, after(100)).state).toBe('ok');
    expect(caseSlaAt(resolved, after(100)).nextDueAt).toBeNull();
    const late = { ...c, status: 'resolved', firstRespondedAt: after(1), resolvedAt: after(30) };
    expect(caseSlaAt(late, after(31)).state).toBe('breached');
  });
});

describe('CSAT answers', () => {
  it.each([
    ['5', 5],
    [' 4 ', 4],
    ['cinco', 5],
    ['Five!', 5],
    ['tres estrellas', 3],
    ['4/5', 4],
    ['2 de 5', 2],
    ['⭐⭐⭐⭐', 4],
    ['★★', 2],
    ['5️⃣', 5],
  ])('reads %j as %i', (text, n) => expect(ratingOf(text)).toBe(n));

  it.each(['6', '0', 'hola', 'el 5 de mayo', '⭐⭐⭐⭐⭐⭐', '', 'quiero hablar con alguien'])(
    'does not read %j as a rating',
    (text) => expect(ratingOf(text)).toBeUndefined(),
  );
});

it('escapes the case subject in the Slack alert', () => {
  const text = caseAlertText(
    {
      number: 'CS-000042',
      priority: 'high',
      subject: '<!channel> *pay* <https://evil.example|here>',
      firstResponseDueAt: at('2026-12-01T14:00:00Z'),
    } as unknown as CaseDoc,
    'first_response',
    'en',
  );
  expect(text).toContain('Case CS-000042 missed its first-response target');
  expect(text).toContain('2026-12-01 14:00 UTC');
  expect(text).not.toContain('<!channel>');
  expect(text).not.toContain('<https://');
});
