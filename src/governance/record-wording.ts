import { DateTime } from 'luxon';
import type { MemberEventRecord } from '../store/member-records-repository';

// How stored values read in the CSV and PDF exports: dates in the module's zone, events described in a few words.

export const SOURCE_NAMES: Record<string, string> = {
  vle: 'Moodle',
  launch: 'Waymark',
  assignment: 'Assignments',
  meeting: 'Online sessions',
  recording: 'Lecture recordings',
};

export function sourceName(source: string | null): string {
  return source ? SOURCE_NAMES[source] ?? source : 'Something else';
}

export function dateTimeText(value: Date | null | undefined, timeZone: string): string {
  return value ? DateTime.fromJSDate(value, { zone: timeZone }).toFormat('d LLL yyyy, HH:mm') : '';
}

export function dateText(value: Date | null | undefined, timeZone: string): string {
  return value ? DateTime.fromJSDate(value, { zone: timeZone }).toFormat('d LLL yyyy') : '';
}

export function dayText(day: string | null): string {
  return day ? DateTime.fromISO(day).toFormat('d LLL yyyy') : '';
}

const DESCRIBING_FIELDS = ['eventName', 'title', 'meetingTitle', 'verb', 'activityType', 'action'];

/** A short description of an event from the fields its importer kept. */
export function eventDescription(e: MemberEventRecord): string {
  if (e.source === 'launch') return 'Opened Waymark';
  for (const field of DESCRIBING_FIELDS) {
    const value = e.detail[field];
    if (typeof value === 'string' && value.trim()) return value.trim();
  }
  return SOURCE_NAMES[e.source] ?? e.source;
}

export function detailText(detail: Record<string, unknown>): string {
  return Object.entries(detail)
    .filter(([, v]) => v !== null && v !== undefined && v !== '')
    .map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join('; ');
}
