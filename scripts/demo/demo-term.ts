import { DateTime } from 'luxon';
import type { ModuleCalendar } from '../../src/engagement';

// The demo's 12-week term: OULAD day 0 is its first Monday, week 7 is a reading week, and "now" falls in
// week 11 on the first run, so ten weeks can be judged and the last ones show who has gone quiet.

export const TERM_WEEKS = 12;
export const TERM_DAYS = TERM_WEEKS * 7;
export const READING_WEEK = 7;
export const TERM_TIME_ZONE = 'Europe/London';
const WEEKS_BEFORE_NOW = 10;

export interface DemoTerm {
  /** The first Monday, YYYY-MM-DD. */
  start: string;
  timeZone: string;
}

/** A first run starts the term ten weeks before the Monday of this week. */
export function termEndingSoonAfter(now: Date): DemoTerm {
  const thisMonday = DateTime.fromJSDate(now, { zone: TERM_TIME_ZONE }).startOf('week');
  return { start: thisMonday.minus({ weeks: WEEKS_BEFORE_NOW }).toISODate()!, timeZone: TERM_TIME_ZONE };
}

export function termDate(term: DemoTerm, day: number): string {
  return DateTime.fromISO(term.start, { zone: term.timeZone }).plus({ days: day }).toISODate()!;
}

/** The instant of a wall-clock time on a term day (the demo never uses the hour the clocks change). */
export function termInstant(term: DemoTerm, day: number, minuteOfDay: number, second = 0): Date {
  return DateTime.fromISO(termDate(term, day), { zone: term.timeZone })
    .set({ hour: Math.floor(minuteOfDay / 60), minute: minuteOfDay % 60, second })
    .toJSDate();
}

/** 1-based week of a 0-based term day. */
export function weekOfDay(day: number): number {
  return Math.floor(day / 7) + 1;
}

export function firstDayOfWeek(week: number): number {
  return (week - 1) * 7;
}

/** The term day `now` falls on (may be past the end, or negative before the start). */
export function termDayOf(term: DemoTerm, now: Date): number {
  const start = DateTime.fromISO(term.start, { zone: term.timeZone });
  return Math.floor(DateTime.fromJSDate(now, { zone: term.timeZone }).startOf('day').diff(start, 'days').days);
}

export function demoCalendar(term: DemoTerm): ModuleCalendar {
  const reading = firstDayOfWeek(READING_WEEK);
  return {
    timeZone: term.timeZone,
    start: term.start,
    end: termDate(term, TERM_DAYS - 1),
    nonTeachingWeeks: [{ start: termDate(term, reading), end: termDate(term, reading + 6), label: 'Reading week' }],
  };
}
