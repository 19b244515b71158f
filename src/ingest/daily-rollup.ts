import { DateTime } from 'luxon';
import {
  eventsInMemberRanges,
  moduleEventsForRollup,
  replaceRollupsInRanges,
  addToRollup,
  deleteModuleRollups,
  insertRollups,
  type DailyActivityRow,
  type EventForRollup,
} from '../store/daily-activity-repository';
import type { Source } from '../store/types';
import { insertEvents, type NewEngagementEvent } from '../store/event-repository';
import { raiseEventTotals } from '../store/event-total-repository';
import { markModuleDataChanged } from '../store/module-repository';

// Events -> DailyActivity. Always recomputed from events (never incremented), so it is idempotent and crash-safe
// on a database without transactions.

// Zone offsets change only on whole quarter hours, so one luxon lookup per quarter hour serves every event in it:
// a per-event luxon DateTime was the import's most expensive step after parsing.
const QUARTER_HOUR_MS = 15 * 60_000;
const OFFSET_CACHE_LIMIT = 100_000;
const offsetsByZone = new Map<string, Map<number, number>>();

function offsetMinutes(ms: number, timeZone: string): number {
  let offsets = offsetsByZone.get(timeZone);
  if (!offsets) offsetsByZone.set(timeZone, (offsets = new Map()));
  const slot = Math.floor(ms / QUARTER_HOUR_MS);
  let offset = offsets.get(slot);
  if (offset === undefined) {
    if (offsets.size >= OFFSET_CACHE_LIMIT) offsets.clear();
    const at = DateTime.fromMillis(slot * QUARTER_HOUR_MS, { zone: timeZone });
    if (!at.isValid) throw new RangeError(`Unknown time zone '${timeZone}'.`);
    offset = at.offset;
    offsets.set(slot, offset);
  }
  return offset;
}

export function dayKeyIn(instant: Date, timeZone: string): string {
  const ms = instant.getTime();
  return new Date(ms + offsetMinutes(ms, timeZone) * 60_000).toISOString().slice(0, 10);
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

function rangesOf(touched: TouchedDays, timeZone: string) {
  return touched.entries().map(([memberId, days]) => {
    const fromDay = days[0]!;
    const toDay = days[days.length - 1]!;
    return { memberId, fromDay, toDay, from: dayStart(fromDay, timeZone), to: dayStart(DateTime.fromISO(toDay).plus({ days: 1 }).toISODate()!, timeZone) };
  });
}

/**
 * Recomputes the rollups of the touched member-days from their events: one read of the events of all touched
 * members (each over its own day range) and one diff against the stored rows, whatever the number of members.
 */
export async function recomputeMemberDays(moduleId: string, touched: TouchedDays, timeZone: string): Promise<void> {
  const ranges = rangesOf(touched, timeZone);
  if (ranges.length === 0) return;
  const events = await eventsInMemberRanges(moduleId, ranges);
  const changes = await replaceRollupsInRanges(moduleId, ranges, await sumByDayAndSource(events, timeZone));
  if (changes.newOrGone + changes.changed > 0) await markModuleDataChanged(moduleId);
}

export interface StoredBatch {
  inserted: number;
  alreadyStored: number;
  /** Stored events given the higher totals of a later export; only with runningTotals. */
  raised?: number;
}

/** A later export of a running total counts at least as much; a lower one is an older export and changes nothing. */
const exceeds = (next: { count: number; minutes: number }, stored: { count: number; minutes: number }) =>
  next.count > stored.count || (next.count === stored.count && next.minutes > stored.minutes);

/**
 * Stores a batch of one module's events once and brings the rollups of the member-days they touch up to date.
 * The events already stored on those member-days are read first (one query), so what an earlier, interrupted
 * run stored is recognised without a refused insert each (FerretDB retries a refused batch row by row), and
 * the rollups are summed from what was read plus what is new. Idempotent: a rerun stores nothing twice and
 * rewrites the same rollups. With `runningTotals` (events whose count is a total so far, as Echo360's), an event
 * already stored on the same member-day takes the incoming count and minutes when they are higher.
 */
export async function storeEventsWithRollups(
  moduleId: string,
  timeZone: string,
  events: NewEngagementEvent[],
  opts: { affectsAnalysis?: boolean; runningTotals?: boolean } = {},
): Promise<StoredBatch> {
  if (events.length === 0) return { inserted: 0, alreadyStored: 0 };
  const touched = new TouchedDays(timeZone);
  for (const e of events) touched.add(e.memberId, e.occurredAt);
  const ranges = rangesOf(touched, timeZone);
  const stored = await eventsInMemberRanges(moduleId, ranges);
  const known = new Map<string, { count: number; minutes: number }>(stored.map((e) => [`${e.source}|${e.sourceId}`, e]));
  const raised = new Map<string, NewEngagementEvent>();
  const fresh: NewEngagementEvent[] = [];
  const freshKeys = new Set<string>();
  for (const e of events) {
    const key = `${e.source}|${e.sourceId}`;
    const before = known.get(key);
    if (!before) {
      const copy = { ...e };
      known.set(key, copy);
      fresh.push(copy);
      freshKeys.add(key);
    } else if (opts.runningTotals && exceeds(e, before)) {
      // Changed in place, so the rollups below are summed with the new totals (and a fresh copy is inserted with them).
      before.count = e.count;
      before.minutes = e.minutes;
      if (!freshKeys.has(key)) raised.set(key, e);
    }
  }
  await raiseEventTotals(
    moduleId,
    events[0]!.source,
    [...raised.values()].map((e) => ({ sourceId: e.sourceId, count: e.count, minutes: e.minutes, detail: e.detail, importId: e.importId ?? null })),
  );
  const inserted = await insertEvents(fresh);
  // A refused insert means the event was stored elsewhere (another member or day, or a concurrent writer):
  // only a fresh read tells exactly what these member-days hold then.
  const current = inserted === fresh.length ? [...stored, ...fresh] : await eventsInMemberRanges(moduleId, ranges);
  const changes = await replaceRollupsInRanges(moduleId, ranges, await sumByDayAndSource(current, timeZone));
  // Another launch on a day that already had one changes no indicator; any other change makes the stored analysis old.
  const dataMoved = changes.newOrGone > 0 || (changes.changed > 0 && events.some((e) => e.source !== 'launch'));
  if (dataMoved && opts.affectsAnalysis !== false) await markModuleDataChanged(moduleId);
  return { inserted, alreadyStored: events.length - inserted - raised.size, ...(opts.runningTotals ? { raised: raised.size } : {}) };
}

/**
 * Stores one event, such as a launch, and adds it to its day's rollup: two inserts, where storeEventsWithRollups
 * reads every stored event of the member-day (on FerretDB a scan of all events, seconds on a large module, on
 * every launch). Counted only when the event's insert was new, so a repeat never counts twice; an event already
 * stored takes the full path, which recomputes the member-day from its events. A crash between the two inserts
 * leaves the day one short until `npm run rollups:rebuild`.
 */
export async function storeOneEvent(moduleId: string, timeZone: string, event: NewEngagementEvent, opts: { affectsAnalysis?: boolean } = {}): Promise<StoredBatch> {
  if ((await insertEvents([event])) === 0) return storeEventsWithRollups(moduleId, timeZone, [event], opts);
  const day = dayKeyIn(event.occurredAt, timeZone);
  const added = await addToRollup(moduleId, { memberId: event.memberId, day, source: event.source, count: event.count, minutes: event.minutes }, event.sourceId);
  // As in storeEventsWithRollups: another launch on a day that already had one changes no indicator.
  const dataMoved = added.created || event.source !== 'launch';
  if (dataMoved && opts.affectsAnalysis !== false) await markModuleDataChanged(moduleId);
  return { inserted: 1, alreadyStored: 0 };
}

/** Rebuilds every rollup of a module from its events; gives the same rows as the incremental path. */
export async function rebuildModuleRollups(moduleId: string, timeZone: string): Promise<number> {
  const rows = await sumByDayAndSource(moduleEventsForRollup(moduleId), timeZone);
  await deleteModuleRollups(moduleId);
  await insertRollups(moduleId, rows);
  await markModuleDataChanged(moduleId);
  return rows.length;
}
