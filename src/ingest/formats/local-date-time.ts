import { DateTime, IANAZone } from 'luxon';
import { FileFormatError, type DayMonthOrder } from './parsed-records';

export interface LocalDateTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

export const DEFAULT_TIME_ZONE = 'Europe/London';

export function checkTimeZone(timeZone: string): string {
  if (!IANAZone.isValidZone(timeZone)) {
    throw new FileFormatError('invalid-option', `Time zone '${timeZone}' is not a known IANA zone such as 'Europe/London'.`);
  }
  return timeZone;
}

// UTC offset per local hour: luxon costs ~15µs a call, too slow for a million rows. Offsets change on the hour
// in practice, and an hour in which one changes is never cached.
const offsetCache = new Map<string, number>();
const OFFSET_CACHE_LIMIT = 20_000;
const HOUR_MS = 3_600_000;

/**
 * Wall-clock time in `timeZone` -> every instant it can mean, earliest first: one normally, two in the repeated
 * autumn hour, none in the skipped spring hour.
 */
export function localToInstants(local: LocalDateTime, timeZone: string): Date[] {
  if (local.minute > 59 || local.second > 59) return [];
  const asUtc = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second);
  const key = `${timeZone}|${local.year}-${local.month}-${local.day}-${local.hour}`;
  const cached = offsetCache.get(key);
  if (cached !== undefined) return [new Date(asUtc - cached * 60_000)];

  const offsetAt = (ms: number): number => DateTime.fromMillis(ms, { zone: timeZone }).offset;
  const offsets = [...new Set([offsetAt(asUtc - 3 * HOUR_MS), offsetAt(asUtc + 3 * HOUR_MS)])];
  const instants = offsets
    .map((offset) => asUtc - offset * 60_000)
    .filter((ms) => offsetAt(ms) * 60_000 === asUtc - ms)
    .sort((a, b) => a - b);
  if (instants.length === 1) {
    const offset = (asUtc - instants[0]!) / 60_000;
    const hourStart = asUtc - (local.minute * 60 + local.second) * 1000 - offset * 60_000;
    if (offsetAt(hourStart) === offset && offsetAt(hourStart + HOUR_MS - 1000) === offset) {
      if (offsetCache.size >= OFFSET_CACHE_LIMIT) offsetCache.clear();
      offsetCache.set(key, offset);
    }
  }
  return instants.map((ms) => new Date(ms));
}

/** Wall-clock time -> instant; in the repeated autumn hour, the earlier one. Null in the skipped spring hour. */
export function localToInstant(local: LocalDateTime, timeZone: string): Date | null {
  return localToInstants(local, timeZone)[0] ?? null;
}

const NUMERIC_DATE_TIME =
  /^\s*(\d{1,4})[./-](\d{1,2})[./-](\d{1,4})(?:,?\s+(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?(?:\s*([AaPp])\.?\s?[Mm]\.?)?)?\s*$/;

/**
 * `7/09/26, 21:40:58`, `9/3/2020, 2:41:55 PM`, `23/01/23, 12:09`, `2026-09-07 21:40` -> wall-clock parts.
 * A 4-digit first number means year first; otherwise `order` says which of the first two is the day.
 */
export function parseNumericDateTime(text: string, order: DayMonthOrder, options: { requireTime: boolean }): Parsed<LocalDateTime> {
  const match = NUMERIC_DATE_TIME.exec(text.replace(/\u202f|\u00a0/g, ' '));
  const orderWord = order === 'dmy' ? 'day/month/year' : 'month/day/year';
  if (!match) {
    return { ok: false, reason: `'${text}' is not a date and time like ${order === 'dmy' ? '7/09/26, 21:40:58' : '9/07/26, 21:40:58'}.` };
  }
  const [, a = '', b = '', c = '', hourText, minuteText, secondText, meridiem] = match;
  if (options.requireTime && hourText === undefined) return { ok: false, reason: `'${text}' has a date but no time of day.` };
  let year: number;
  let month: number;
  let day: number;
  if (a.length === 4) {
    [year, month, day] = [Number(a), Number(b), Number(c)];
  } else {
    year = c.length <= 2 ? 2000 + Number(c) : Number(c);
    [day, month] = order === 'dmy' ? [Number(a), Number(b)] : [Number(b), Number(a)];
  }
  let hour = hourText === undefined ? 0 : Number(hourText);
  if (meridiem) {
    if (hour < 1 || hour > 12) return { ok: false, reason: `'${text}' has hour ${hour} with AM/PM.` };
    const pm = meridiem.toLowerCase() === 'p';
    hour = (hour % 12) + (pm ? 12 : 0);
  }
  const local = { year, month, day, hour, minute: Number(minuteText ?? 0), second: Number(secondText ?? 0) };
  if (!isRealDate(local)) {
    return {
      ok: false,
      reason: `'${text}' is not a real date when read as ${orderWord}. If the file uses the other order, set the day/month order to '${order === 'dmy' ? 'mdy' : 'dmy'}'.`,
    };
  }
  return { ok: true, value: local };
}

/**
 * The day/month order a numeric date proves: 'dmy' for `13/09/26` (no 13th month), 'mdy' for `9/13/26`; null when
 * both readings are real dates (or the same one, as in `5/05/26` and year-first dates) or neither is.
 */
export function dayMonthOrderShownBy(text: string): DayMonthOrder | null {
  const match = NUMERIC_DATE_TIME.exec(text.replace(/\u202f|\u00a0/g, ' '));
  if (!match || (match[1] ?? '').length === 4) return null;
  const dayFirst = parseNumericDateTime(text, 'dmy', { requireTime: false }).ok;
  const monthFirst = parseNumericDateTime(text, 'mdy', { requireTime: false }).ok;
  return dayFirst === monthFirst ? null : dayFirst ? 'dmy' : 'mdy';
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

function monthFromName(name: string): number | null {
  const index = MONTHS.indexOf(name.slice(0, 3).toLowerCase());
  return index === -1 ? null : index + 1;
}

const LONG_DAY_FIRST = /^\s*(?:[A-Za-z]+,?\s+)?(\d{1,2})\s+([A-Za-z]+)\.?,?\s+(\d{4})(?:,?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?)?\s*$/;
const LONG_MONTH_FIRST = /^\s*(?:[A-Za-z]+,?\s+)?([A-Za-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})(?:,?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?)?\s*$/;

/** English month-name dates: `Friday, 15 March 2024, 2:05 PM`, `15 Mar 2024`, `Mar 15, 2024 10:00 AM`. */
export function parseEnglishLongDateTime(text: string): Parsed<LocalDateTime> {
  const cleaned = text.replace(/\u202f|\u00a0/g, ' ');
  let day: string | undefined;
  let monthName: string | undefined;
  let rest: (string | undefined)[];
  const dayFirst = LONG_DAY_FIRST.exec(cleaned);
  const monthFirst = dayFirst ? null : LONG_MONTH_FIRST.exec(cleaned);
  if (dayFirst) {
    [, day, monthName, ...rest] = dayFirst;
  } else if (monthFirst) {
    [, monthName, day, ...rest] = monthFirst;
  } else {
    return { ok: false, reason: `'${text}' is not a date like 'Friday, 15 March 2024, 2:05 PM'.` };
  }
  const [yearText, hourText, minuteText, secondText, meridiem] = rest;
  const month = monthFromName(monthName ?? '');
  if (month === null) return { ok: false, reason: `'${text}' does not name an English month.` };
  let hour = Number(hourText ?? 0);
  if (meridiem) hour = (hour % 12) + (meridiem.toLowerCase() === 'pm' ? 12 : 0);
  const local = { year: Number(yearText), month, day: Number(day), hour, minute: Number(minuteText ?? 0), second: Number(secondText ?? 0) };
  return isRealDate(local) ? { ok: true, value: local } : { ok: false, reason: `'${text}' is not a real date.` };
}

function isRealDate(local: LocalDateTime): boolean {
  if (local.month < 1 || local.month > 12 || local.day < 1 || local.hour > 23 || local.minute > 59 || local.second > 59) return false;
  return local.day <= new Date(Date.UTC(local.year, local.month, 0)).getUTCDate();
}

/** Any of the forms above, or ISO 8601 (with its own offset, else in `timeZone`) -> instant. */
export function parseLooseDateTime(text: string, order: DayMonthOrder, timeZone: string): Parsed<Date> {
  const trimmed = text.trim();
  if (/^\d{4}-\d{2}-\d{2}T/.test(trimmed)) {
    const iso = DateTime.fromISO(trimmed, { zone: timeZone });
    return iso.isValid ? { ok: true, value: iso.toJSDate() } : { ok: false, reason: `'${text}' is not a valid ISO date.` };
  }
  const numeric = parseNumericDateTime(trimmed, order, { requireTime: false });
  const local = numeric.ok ? numeric : /[A-Za-z]{3}/.test(trimmed) ? parseEnglishLongDateTime(trimmed) : numeric;
  if (!local.ok) return local;
  const instant = localToInstant(local.value, timeZone);
  return instant ? { ok: true, value: instant } : { ok: false, reason: `'${text}' does not exist in ${timeZone}.` };
}

/** `1h 2m 10s`, `55m`, `29m 22s`, `2 godz. 19 min 19 s`, `1:02:10` -> seconds. */
export function parseDurationSeconds(text: string): Parsed<number> {
  const trimmed = text.trim();
  const clock = /^(?:(\d+):)?(\d{1,2}):(\d{2})$/.exec(trimmed);
  if (clock) return { ok: true, value: Number(clock[1] ?? 0) * 3600 + Number(clock[2]) * 60 + Number(clock[3]) };
  const parts = [...trimmed.matchAll(/(\d+(?:[.,]\d+)?)\s*([^\d\s]+)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('').replace(/\s/g, '') !== trimmed.replace(/\s/g, '')) {
    return { ok: false, reason: `Duration '${text}' is not like '1h 2m 10s' or '55m'.` };
  }
  let seconds = 0;
  for (const [, amount = '0', unitText = ''] of parts) {
    const unit = durationUnitSeconds(unitText);
    if (unit === null) return { ok: false, reason: `Duration '${text}' has a unit '${unitText}' we do not know.` };
    seconds += Number(amount.replace(',', '.')) * unit;
  }
  return { ok: true, value: Math.round(seconds) };
}

function durationUnitSeconds(unitText: string): number | null {
  const unit = unitText.toLowerCase().replace(/\.$/, '');
  if (/^(h|hr|hrs|hour|hours|godz|godzina|godziny|godzin|std|stunde|stunden|u|uur|hora|horas|heure|heures|ч)$/.test(unit)) return 3600;
  if (/^(m|min|mins|minute|minutes|minuta|minuty|minut|minuto|minutos|minuten|мин)$/.test(unit)) return 60;
  if (/^(s|sec|secs|second|seconds|sek|sekunda|sekundy|sekund|seg|segundo|segundos|sekunden|с)$/.test(unit)) return 1;
  return null;
}
