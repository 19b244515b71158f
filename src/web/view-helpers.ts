import { DateTime } from 'luxon';

// Handlebars helpers. Output is escaped by handlebars; only jsonScript returns raw text, escaped for <script>.

const DISPLAY_ZONE = 'Europe/London';

function toDateTime(value: unknown): DateTime | null {
  if (value instanceof Date) return DateTime.fromJSDate(value, { zone: DISPLAY_ZONE });
  if (typeof value === 'string' && value) {
    const dt = DateTime.fromISO(value, { zone: DISPLAY_ZONE });
    return dt.isValid ? dt : null;
  }
  return null;
}

export const viewHelpers = {
  eq: (a: unknown, b: unknown) => a === b,
  concat: (...args: unknown[]) => args.slice(0, -1).map(String).join(''),
  not: (a: unknown) => !a,
  or: (...args: unknown[]) => args.slice(0, -1).some(Boolean),
  and: (...args: unknown[]) => args.slice(0, -1).every(Boolean),
  formatDateTime(value: unknown): string {
    const dt = toDateTime(value);
    return dt ? dt.toFormat('ccc d LLL yyyy, HH:mm') : '—';
  },
  formatDate(value: unknown): string {
    const dt = toDateTime(value);
    return dt ? dt.toFormat('ccc d LLL yyyy') : '—';
  },
  isoDateTime(value: unknown): string {
    const dt = toDateTime(value);
    return dt ? dt.toISO() ?? '' : '';
  },
  /** Serialises data for a <script type="application/json"> element; '<' is escaped so the element cannot be closed early. */
  jsonScript(value: unknown): string {
    return JSON.stringify(value ?? null).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
  },
  withLtik(url: string, ltik: string): string {
    if (!ltik) return url;
    return `${url}${url.includes('?') ? '&' : '?'}ltik=${encodeURIComponent(ltik)}`;
  },
};
