/**
 * When one recipient's message may go out: the campaign's local time (`sendAtLocal`, a wall-clock
 * time read in each contact's own time zone) or now, then outside the campaign's quiet hours
 * (a recipient whose local time is inside them waits until they end — deferred, never dropped).
 * The contact's zone is their `timeZone` when it is a valid IANA name, else the install's
 * DEFAULT_TIMEZONE. All zone arithmetic is Intl's, through src/kernel/time/business-hours.ts:
 * quiet hours are read as the day's "open" windows, so isOpen/nextOpening answer them.
 */
import {
  isOpen,
  nextOpening,
  zonedInstant,
  type BusinessHours,
  type OpeningWindow,
} from '../../kernel/time/business-hours.js';
import type { QuietHours } from './schemas.js';

/** The furthest zone ahead of UTC (Pacific/Kiritimati, UTC+14): where a local time comes first. */
const MAX_AHEAD_MS = 14 * 3_600_000;

export const isTimeZone = (zone: unknown): zone is string => {
  if (typeof zone !== 'string' || zone.trim() === '') return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

export const zoneOf = (contact: { timeZone?: string | null }, fallback: string): string =>
  isTimeZone(contact.timeZone) ? contact.timeZone : fallback;

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** `2026-12-08T10:00` read on the wall clock of `zone`. */
export function localInstant(local: string, zone: string): Date {
  const [date, time] = local.split('T') as [string, string];
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return zonedInstant(y, m, d, minutesOf(time), zone);
}

/** The first instant any zone reaches `local`: when a campaign scheduled in local time starts. */
export const earliestInstant = (local: string): Date =>
  new Date(localInstant(local, 'UTC').getTime() - MAX_AHEAD_MS);

/** Quiet hours as the day's sending windows (every day alike), in `zone`. */
function sendingHours(quiet: QuietHours, zone: string): BusinessHours {
  const start = minutesOf(quiet.start);
  const end = minutesOf(quiet.end);
  const perDay: Array<Omit<OpeningWindow, 'day'>> =
    start > end
      ? [{ start: end, end: start }] // 21:00–09:00: send 09:00–21:00
      : [
          ...(start > 0 ? [{ start: 0, end: start }] : []),
          ...(end < 1440 ? [{ start: end, end: 1440 }] : []),
        ];
  const windows = [0, 1, 2, 3, 4, 5, 6].flatMap((day) => perDay.map((w) => ({ day, ...w })));
  return { timeZone: zone, windows };
}

/** When quiet hours hold `at` in `zone`, the instant they end; else null. */
export function quietUntil(quiet: QuietHours | null | undefined, zone: string, at: Date) {
  if (!quiet) return null;
  const hours = sendingHours(quiet, zone);
  if (isOpen(hours, at)) return null;
  return nextOpening(hours, at) ?? null;
}

/** When this recipient's message is due: its local send time (or now), moved past quiet hours. */
export function dueAt(
  campaign: { sendAtLocal?: string | null; quietHours?: QuietHours | null },
  zone: string,
  now: Date,
): Date {
  const local = campaign.sendAtLocal ? localInstant(campaign.sendAtLocal, zone) : now;
  const at = local.getTime() > now.getTime() ? local : now;
  return quietUntil(campaign.quietHours, zone, at) ?? at;
}
