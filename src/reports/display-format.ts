import { DateTime } from 'luxon';
import { formatDay, type DayKey } from '../engagement';

// Dates as staff read them, in the module's time zone.

export function formatInstant(at: Date, timeZone: string): string {
  return DateTime.fromJSDate(at, { zone: timeZone }).toFormat('ccc d LLL yyyy, HH:mm');
}

export function instantFormatter(timeZone: string): (at: Date) => string {
  return (at) => formatInstant(at, timeZone);
}

/** 'Mon 3 Nov 2025'; '—' when there is no day. */
export function formatDayLong(day: DayKey | null | undefined): string {
  return day ? `${formatDay(day)} ${day.slice(0, 4)}` : '—';
}

/** When work was handed in: its day, or a plain note when the source (a gradebook export) gave no time. */
export function handedInText(detail: { state: string; submittedDay: DayKey | null }, formatHandedIn: (day: DayKey) => string): string {
  if (detail.submittedDay) return formatHandedIn(detail.submittedDay);
  return detail.state === 'submitted' || detail.state === 'late' ? 'Time not recorded' : '—';
}

export function formatPercent(value: number | null): string {
  return value === null ? '—' : `${Math.round(value)}%`;
}

/** Median of the values that exist; null when there are none. */
export function medianOf(values: ReadonlyArray<number | null>): number | null {
  const present = values.filter((v): v is number => v !== null).sort((a, b) => a - b);
  if (present.length === 0) return null;
  const mid = Math.floor(present.length / 2);
  return present.length % 2 ? present[mid]! : (present[mid - 1]! + present[mid]!) / 2;
}
