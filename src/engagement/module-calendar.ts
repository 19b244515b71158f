import { DateTime, IANAZone } from 'luxon';
import { EngagementInputError } from './engagement-input-error';
import type { DayKey, ModuleCalendar } from './types';

export const DEFAULT_TIME_ZONE = 'Europe/London';

const MS_PER_DAY = 86_400_000;
const DAY_KEY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
const WEEKDAY_NAMES = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** 1970-01-01 was a Thursday: shifting by 3 makes Monday 0. */
const EPOCH_WEEKDAY_SHIFT = 3;
// The analysis holds every day of the teaching period in memory: a mistyped year (0202 for 2026) once made a period
// of 1,800 years and ran the process out of memory. Real modules run a term or a year, so these bounds cost nothing.
export const MAX_TEACHING_WEEKS = 104;
const FIRST_YEAR = 2000;
const LAST_YEAR = 2099;

// Day keys are calendar dates, so day arithmetic runs on UTC day numbers: a DST change never
// makes a day 23 or 25 hours long here. Only turning an instant into a day needs the zone.

export function isDayKey(value: unknown): value is DayKey {
  if (typeof value !== 'string' || !DAY_KEY_PATTERN.test(value)) return false;
  const n = Date.UTC(Number(value.slice(0, 4)), Number(value.slice(5, 7)) - 1, Number(value.slice(8, 10))) / MS_PER_DAY;
  return dayKeyFromNumber(n) === value;
}

/** Days since 1970-01-01 for a day key. */
export function dayNumber(day: DayKey): number {
  if (!isDayKey(day)) throw new EngagementInputError([`"${String(day)}" is not a day: write it as YYYY-MM-DD.`]);
  return Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10))) / MS_PER_DAY;
}

export function dayKeyFromNumber(n: number): DayKey {
  return new Date(n * MS_PER_DAY).toISOString().slice(0, 10);
}

/** dayKeyFromNumber with a memo, for code that names the same few days many times in one analysis. */
export function createDayKeyMemo(): (n: number) => DayKey {
  const keys = new Map<number, DayKey>();
  return (n) => {
    let key = keys.get(n);
    if (key === undefined) keys.set(n, (key = dayKeyFromNumber(n)));
    return key;
  };
}

export function addDays(day: DayKey, days: number): DayKey {
  return dayKeyFromNumber(dayNumber(day) + days);
}

/** Whole calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: DayKey, to: DayKey): number {
  return dayNumber(to) - dayNumber(from);
}

/** 0 = Monday … 6 = Sunday. */
export function weekdayOfNumber(n: number): number {
  return (((n + EPOCH_WEEKDAY_SHIFT) % 7) + 7) % 7;
}

export function weekdayOf(day: DayKey): number {
  return weekdayOfNumber(dayNumber(day));
}

export function mondayOf(day: DayKey): DayKey {
  const n = dayNumber(day);
  return dayKeyFromNumber(n - weekdayOfNumber(n));
}

export function isValidTimeZone(timeZone: string): boolean {
  return IANAZone.isValidZone(timeZone);
}

/** Parse an ISO instant; one without an offset is read as wall-clock time in the module's zone. */
export function parseInstant(instant: string, timeZone: string): DateTime {
  const parsed = DateTime.fromISO(instant, { zone: timeZone });
  if (!parsed.isValid) throw new EngagementInputError([`"${instant}" is not an ISO date-time (e.g. 2025-11-03T17:00:00Z).`]);
  return parsed;
}

/** The day, in the module's zone, on which an instant falls. */
export function dayKeyOf(instant: string, timeZone: string): DayKey {
  return parseInstant(instant, timeZone).toISODate() as DayKey;
}

export function instantMillis(instant: string, timeZone: string): number {
  return parseInstant(instant, timeZone).toMillis();
}

export function isTeachingDay(day: DayKey, calendar: ModuleCalendar): boolean {
  if (day < calendar.start || day > calendar.end) return false;
  return !calendar.nonTeachingWeeks.some((period) => day >= period.start && day <= period.end);
}

/** 'Mon 3 Nov': the form staff read in evidence. */
export function formatDay(day: DayKey): string {
  const n = dayNumber(day);
  return `${WEEKDAY_NAMES[weekdayOfNumber(n)]} ${Number(day.slice(8, 10))} ${MONTH_NAMES[Number(day.slice(5, 7)) - 1]}`;
}

/** Problems with a calendar, each saying what to fix; empty when it is usable. */
export function checkModuleCalendar(calendar: ModuleCalendar): string[] {
  const problems: string[] = [];
  if (!isValidTimeZone(calendar.timeZone)) {
    problems.push(`timeZone "${calendar.timeZone}" is not an IANA time zone: use e.g. "${DEFAULT_TIME_ZONE}".`);
  }
  if (!isDayKey(calendar.start)) problems.push(`start "${calendar.start}" must be a day written YYYY-MM-DD.`);
  if (!isDayKey(calendar.end)) problems.push(`end "${calendar.end}" must be a day written YYYY-MM-DD.`);
  for (const [name, day] of [['start', calendar.start], ['end', calendar.end]] as const) {
    const year = Number(day.slice(0, 4));
    if (isDayKey(day) && (year < FIRST_YEAR || year > LAST_YEAR)) problems.push(`${name} ${day} is in the year ${year}: check the year (${FIRST_YEAR}–${LAST_YEAR}).`);
  }
  if (isDayKey(calendar.start) && isDayKey(calendar.end) && calendar.end < calendar.start) {
    problems.push(`end ${calendar.end} is before start ${calendar.start}: swap them.`);
  } else if (isDayKey(calendar.start) && isDayKey(calendar.end) && dayNumber(calendar.end) - dayNumber(calendar.start) >= MAX_TEACHING_WEEKS * 7) {
    problems.push(`the teaching period ${calendar.start} to ${calendar.end} is longer than ${MAX_TEACHING_WEEKS} weeks: check the years, or split the module.`);
  }
  for (const period of calendar.nonTeachingWeeks) {
    if (!isDayKey(period.start) || !isDayKey(period.end) || period.end < period.start) {
      problems.push(`non-teaching period "${period.label}" needs a start and end (YYYY-MM-DD) with start on or before end.`);
    }
  }
  return problems;
}
