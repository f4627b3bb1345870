/**
 * BUSINESS_HOURS: when staff are around to take escalations. Format (days in English, 24 h
 * clock, one IANA time zone at the end):
 *
 *   Mon-Fri 09:00-18:00 Europe/Madrid
 *   Mon-Fri 09:00-14:00, Mon-Thu 15:00-18:00, Sat 10:00-14:00 America/Mexico_City
 *
 * A rule is a day or a day range (wrapping ranges like Fri-Mon are allowed) and one HH:MM-HH:MM
 * window on each of those days (end after start; 24:00 allowed as an end). Times are wall-clock
 * times in the zone, so DST is followed. Time zones are handled with Intl.DateTimeFormat.
 */

export interface OpeningWindow {
  /** 0 = Monday … 6 = Sunday. */
  day: number;
  /** Minutes after local midnight. */
  start: number;
  end: number;
}

export interface BusinessHours {
  timeZone: string;
  windows: OpeningWindow[];
}

export class BusinessHoursError extends Error {
  constructor(message: string) {
    super(`BUSINESS_HOURS ${message} (expected e.g. "Mon-Fri 09:00-18:00 Europe/Madrid")`);
    this.name = 'BusinessHoursError';
  }
}

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const RULE = /^([a-z]+)(?:\s*-\s*([a-z]+))?\s+(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$/i;

function dayIndex(name: string): number {
  const i = DAYS.indexOf(name.slice(0, 3).toLowerCase());
  const full = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
  if (i < 0 || !(name.length === 3 || full[i] === name.toLowerCase())) {
    throw new BusinessHoursError(
      `has an unknown day "${name}" (use Mon, Tue, Wed, Thu, Fri, Sat, Sun)`,
    );
  }
  return i;
}

function minutes(h: string, m: string, rule: string): number {
  const hh = Number(h);
  const mm = Number(m);
  if (hh > 24 || mm > 59 || (hh === 24 && mm !== 0)) {
    throw new BusinessHoursError(`has an invalid time in "${rule}"`);
  }
  return hh * 60 + mm;
}

function assertTimeZone(zone: string): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
  } catch {
    throw new BusinessHoursError(`ends with an unknown time zone "${zone}" (use an IANA name)`);
  }
}

export function parseBusinessHours(spec: string): BusinessHours {
  const text = spec.trim();
  const cut = text.lastIndexOf(' ');
  if (cut < 0) throw new BusinessHoursError('needs day rules followed by a time zone');
  const timeZone = text.slice(cut + 1);
  assertTimeZone(timeZone);
  const windows: OpeningWindow[] = [];
  for (const rawRule of text.slice(0, cut).split(',')) {
    const rule = rawRule.trim();
    const m = RULE.exec(rule);
    if (!m) throw new BusinessHoursError(`has a rule it cannot read: "${rule}"`);
    const first = dayIndex(m[1]!);
    const last = m[2] ? dayIndex(m[2]) : first;
    const start = minutes(m[3]!, m[4]!, rule);
    const end = minutes(m[5]!, m[6]!, rule);
    if (end <= start)
      throw new BusinessHoursError(`has a window that ends before it starts: "${rule}"`);
    for (let d = first; ; d = (d + 1) % 7) {
      windows.push({ day: d, start, end });
      if (d === last) break;
    }
  }
  return { timeZone, windows };
}

interface ZonedParts {
  year: number;
  month: number;
  day: number;
  /** 0 = Monday. */
  weekday: number;
  minutes: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function zonedParts(at: Date, timeZone: string): ZonedParts {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  const parts = Object.fromEntries(f.formatToParts(at).map((p) => [p.type, p.value]));
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    weekday: DAYS.indexOf(String(parts.weekday).toLowerCase()),
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
  };
}

/** The UTC offset (ms) of `timeZone` at `at`. */
function offsetMs(at: Date, timeZone: string): number {
  const p = zonedParts(at, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, Math.floor(p.minutes / 60), p.minutes % 60);
  return asUtc - Math.floor(at.getTime() / 60_000) * 60_000;
}

/** The instant at which the wall clock of `timeZone` shows the given local date and minute (Intl). */
export function zonedInstant(
  year: number,
  month: number,
  day: number,
  mins: number,
  timeZone: string,
): Date {
  const guess = Date.UTC(year, month - 1, day, 0, mins);
  let instant = guess - offsetMs(new Date(guess), timeZone);
  // Across a DST change the offset at the result can differ from the guess's: settle once more.
  instant = guess - offsetMs(new Date(instant), timeZone);
  return new Date(instant);
}

export function isOpen(hours: BusinessHours, at: Date): boolean {
  const p = zonedParts(at, hours.timeZone);
  return hours.windows.some(
    (w) => w.day === p.weekday && p.minutes >= w.start && p.minutes < w.end,
  );
}

/** The next moment (strictly after `at`) a window opens; undefined when there are no windows. */
export function nextOpening(hours: BusinessHours, at: Date): Date | undefined {
  const today = zonedParts(at, hours.timeZone);
  for (let offset = 0; offset <= 7; offset++) {
    const date = new Date(Date.UTC(today.year, today.month - 1, today.day + offset));
    const weekday = (date.getUTCDay() + 6) % 7;
    const starts = hours.windows
      .filter((w) => w.day === weekday)
      .map((w) => w.start)
      .sort((a, b) => a - b);
    for (const start of starts) {
      const candidate = zonedInstant(
        date.getUTCFullYear(),
        date.getUTCMonth() + 1,
        date.getUTCDate(),
        start,
        hours.timeZone,
      );
      if (candidate.getTime() > at.getTime()) return candidate;
    }
  }
  return undefined;
}

/**
 * "today at 09:00" / "el lunes 24 de noviembre a las 09:00": when `opening` falls, read on the
 * business's own clock.
 */
export function describeOpening(
  opening: Date,
  now: Date,
  timeZone: string,
  locale: 'es' | 'en',
): string {
  const a = zonedParts(now, timeZone);
  const b = zonedParts(opening, timeZone);
  const dayDiff =
    (Date.UTC(b.year, b.month - 1, b.day) - Date.UTC(a.year, a.month - 1, a.day)) / 86_400_000;
  const time = `${String(Math.floor(b.minutes / 60)).padStart(2, '0')}:${String(b.minutes % 60).padStart(2, '0')}`;
  if (locale === 'es') {
    if (dayDiff === 0) return `hoy a las ${time}`;
    if (dayDiff === 1) return `mañana a las ${time}`;
    const date = new Intl.DateTimeFormat('es-ES', {
      timeZone,
      weekday: 'long',
      day: 'numeric',
      month: 'long',
    }).format(opening);
    return `el ${date.replace(',', '')} a las ${time}`;
  }
  if (dayDiff === 0) return `today at ${time}`;
  if (dayDiff === 1) return `tomorrow at ${time}`;
  const date = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'long',
    day: 'numeric',
    month: 'long',
  }).format(opening);
  return `on ${date} at ${time}`;
}

/**
 * The opening windows as instants, in time order, from the one open at (or next after) `from`
 * onwards, for up to `days` local days. The SLA clock (src/kernel/time/sla.ts) runs only inside them.
 */
export function* openIntervals(
  hours: BusinessHours,
  from: Date,
  days = 800,
): Generator<[Date, Date]> {
  const today = zonedParts(from, hours.timeZone);
  for (let offset = -1; offset <= days; offset++) {
    const date = new Date(Date.UTC(today.year, today.month - 1, today.day + offset));
    const weekday = (date.getUTCDay() + 6) % 7;
    const windows = hours.windows
      .filter((w) => w.day === weekday)
      .sort((a, b) => a.start - b.start);
    for (const w of windows) {
      const at = (mins: number) =>
        zonedInstant(
          date.getUTCFullYear(),
          date.getUTCMonth() + 1,
          date.getUTCDate(),
          mins,
          hours.timeZone,
        );
      const end = at(w.end);
      if (end.getTime() > from.getTime()) yield [at(w.start), end];
    }
  }
}
