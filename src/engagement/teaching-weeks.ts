import { dayKeyFromNumber, dayNumber, weekdayOfNumber } from './module-calendar';
import type { DayKey, ModuleCalendar, TeachingWeek } from './types';

export const DAYS_PER_WEEK = 7;

/**
 * The calendar laid onto day indices once, so hot loops never touch dates: index 0 is the Monday of
 * week 1, so a day's week is floor(index / 7).
 */
export interface CalendarFrame {
  /** Day number of the Monday of week 1. */
  origin: number;
  /** Indices of the period's first and last day. */
  startIndex: number;
  endIndex: number;
  /** Indices covered by whole weeks (weeks.length * 7). */
  dayCount: number;
  /** 1 for teaching days (inside the period and not in a non-teaching period). */
  teaching: Uint8Array;
  weeks: TeachingWeek[];
}

export function frameCalendar(calendar: ModuleCalendar): CalendarFrame {
  const start = dayNumber(calendar.start);
  const origin = start - weekdayOfNumber(start);
  const endIndex = dayNumber(calendar.end) - origin;
  const weekCount = Math.floor(endIndex / DAYS_PER_WEEK) + 1;
  const dayCount = weekCount * DAYS_PER_WEEK;
  const teaching = new Uint8Array(dayCount);
  teaching.fill(1, start - origin, endIndex + 1);
  for (const period of calendar.nonTeachingWeeks) {
    const from = Math.max(0, dayNumber(period.start) - origin);
    const to = Math.min(dayCount - 1, dayNumber(period.end) - origin);
    if (from <= to) teaching.fill(0, from, to + 1);
  }
  const weeks = buildWeeks(calendar, origin, teaching, weekCount);
  return { origin, startIndex: start - origin, endIndex, dayCount, teaching, weeks };
}

/** Mon–Sun weeks of the period, numbered from the week holding its first day, each flagged teaching or not. */
export function teachingWeeks(calendar: ModuleCalendar): TeachingWeek[] {
  return frameCalendar(calendar).weeks;
}

function buildWeeks(calendar: ModuleCalendar, origin: number, teaching: Uint8Array, weekCount: number): TeachingWeek[] {
  const weeks: TeachingWeek[] = [];
  let teachingNumber = 0;
  for (let w = 0; w < weekCount; w++) {
    const first = w * DAYS_PER_WEEK;
    let teachingDays = 0;
    for (let d = first; d < first + DAYS_PER_WEEK; d++) teachingDays += teaching[d] ?? 0;
    const start = dayKeyFromNumber(origin + first);
    const end = dayKeyFromNumber(origin + first + DAYS_PER_WEEK - 1);
    weeks.push({
      number: w + 1,
      start,
      end,
      teaching: teachingDays > 0,
      teachingDays,
      teachingNumber: teachingDays > 0 ? ++teachingNumber : null,
      label: labelTouching(calendar, start, end),
    });
  }
  return weeks;
}

function labelTouching(calendar: ModuleCalendar, start: DayKey, end: DayKey): string | null {
  const touching = calendar.nonTeachingWeeks
    .filter((period) => period.start <= end && period.end >= start)
    .sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  return touching[0]?.label ?? null;
}
