/**
 * When a wait step ends: N days after now, or the next given weekday at HH:MM (UTC) strictly
 * after now. Pure, so the runner and the tests share it.
 */
import type { SequenceStep } from './schemas.js';

const DAY_MS = 86_400_000;

export function waitEnds(step: Extract<SequenceStep, { kind: 'wait' }>, now: Date): Date {
  if (step.days !== undefined) return new Date(now.getTime() + step.days * DAY_MS);
  const { weekday, time } = step.until!;
  const [hh, mm] = time.split(':').map(Number) as [number, number];
  const at = new Date(now);
  at.setUTCHours(hh, mm, 0, 0);
  const ahead = (weekday - now.getUTCDay() + 7) % 7;
  at.setUTCDate(at.getUTCDate() + ahead);
  if (at.getTime() <= now.getTime()) at.setUTCDate(at.getUTCDate() + 7);
  return at;
}
