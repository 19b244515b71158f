import { DateTime } from 'luxon';
import { localToInstant, parseNumericDateTime } from './formats/local-date-time';

// A due date as staff give it: the browser's date-time field sends ISO (2026-03-15T17:00), while a browser without
// that field leaves a text box where people in the UK type 15/03/2026 17:00. Both mean wall-clock time in the module.

export const DUE_DATE_EXAMPLE = '15/03/2026 17:00 (day first) or 2026-03-15T17:00';

/** The instant `text` means in `timeZone`, or null when it is not a date with a time that exists there. */
export function readDueDate(text: string, timeZone: string): Date | null {
  const trimmed = text.trim();
  if (/^\d{4}-\d{2}-\d{2}/.test(trimmed)) {
    const iso = DateTime.fromISO(trimmed, { zone: timeZone });
    if (iso.isValid) return iso.toJSDate();
  }
  const local = parseNumericDateTime(trimmed, 'dmy', { requireTime: true });
  return local.ok ? localToInstant(local.value, timeZone) : null;
}
