import { DateTime } from 'luxon';
import {
  memberEventsBetween,
  moduleEventsForRollup,
  replaceMemberDays,
  deleteModuleRollups,
  insertRollups,
  type DailyActivityRow,
  type EventForRollup,
} from '../store/daily-activity-repository';
import type { Source } from '../store/types';

// Events -> DailyActivity. Always recomputed from events (never incremented), so it is idempotent and crash-safe
// on a database without transactions.

export function dayKeyIn(instant: Date, timeZone: string): string {
  return DateTime.fromJSDate(instant, { zone: timeZone }).toISODate()!;
}

function dayStart(day: string, timeZone: string): Date {
  return DateTime.fromISO(day, { zone: timeZone }).startOf('day').toJSDate();
}

async function sumByDayAndSource(
  events: Iterable<EventForRollup & { memberId?: string }> | AsyncIterable<EventForRollup & { memberId?: string }>,
  timeZone: string,
  memberId?: string,
): Promise<DailyActivityRow[]> {
  const totals = new Map<string, DailyActivityRow>();
  for await (const e of events) {
    const member = memberId ?? e.memberId!;
    const day = dayKeyIn(e.occurredAt, timeZone);
    const key = `${member}|${day}|${e.source}`;
    const row = totals.get(key);
    if (row) {
      row.count += e.count;
      row.minutes += e.minutes;
    } else {
      totals.set(key, { memberId: member, day, source: e.source as Source, count: e.count, minutes: e.minutes });
    }
  }
  return [...totals.values()];
}

/** Member -> set of days touched; what an import or xAPI batch collects and then hands to recomputeMemberDays. */
export class TouchedDays {
  private readonly byMember = new Map<string, Set<string>>();
  constructor(private readonly timeZone: string) {}
  add(memberId: string, instant: Date): void {
    let days = this.byMember.get(memberId);
    if (!days) this.byMember.set(memberId, (days = new Set()));
    days.add(dayKeyIn(instant, this.timeZone));
  }
  get size(): number {
    return this.byMember.size;
  }
  entries(): Array<[string, string[]]> {
    return [...this.byMember.entries()].map(([m, d]) => [m, [...d].sort()]);
  }
  clear(): void {
    this.byMember.clear();
  }
}

/** Recomputes the rollups of the touched member-days from their events. */
export async function recomputeMemberDays(moduleId: string, touched: TouchedDays, timeZone: string): Promise<void> {
  for (const [memberId, days] of touched.entries()) {
    const fromDay = days[0]!;
    const toDay = days[days.length - 1]!;
    const from = dayStart(fromDay, timeZone);
    const to = dayStart(DateTime.fromISO(toDay).plus({ days: 1 }).toISODate()!, timeZone);
    const events = await memberEventsBetween(moduleId, memberId, from, to);
    await replaceMemberDays(moduleId, memberId, fromDay, toDay, await sumByDayAndSource(events, timeZone, memberId));
  }
}

/** Rebuilds every rollup of a module from its events; gives the same rows as the incremental path. */
export async function rebuildModuleRollups(moduleId: string, timeZone: string): Promise<number> {
  const rows = await sumByDayAndSource(moduleEventsForRollup(moduleId), timeZone);
  await deleteModuleRollups(moduleId);
  await insertRollups(moduleId, rows);
  return rows.length;
}
