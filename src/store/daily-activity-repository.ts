import { Types, trusted, type mongo } from 'mongoose';
import { WHOLE_RESULT_BATCH } from './whole-result';
import { duplicateWritesOf, insertedUnlessDuplicate } from './duplicate-key';
import { DailyActivityModel } from './models/daily-activity-model';
import { EngagementEventModel } from './models/engagement-event-model';
import { SOURCES, type Source } from './types';

export interface DailyActivityRow {
  memberId: string;
  day: string;
  source: Source;
  count: number;
  minutes: number;
}

export interface EventForRollup {
  occurredAt: Date;
  source: Source;
  count: number;
  minutes: number;
}

export interface MemberInstantRange {
  memberId: string;
  from: Date;
  to: Date;
}

/**
 * Events of several members, each within its own [from, to), in ONE query: what an import batch needs to
 * recompute the member-days it touched. One query per member made FerretDB scan the whole collection once per
 * member, and an $or of per-member ranges is evaluated clause by clause there (minutes for 500 members); a
 * member $in over the batch's overall range is one scan on FerretDB and exact index ranges on MongoDB. Events
 * outside a member's own range are dropped here.
 */
export interface StoredEventForRollup extends EventForRollup {
  memberId: string;
  sourceId: string;
}

export async function eventsInMemberRanges(moduleId: string, ranges: MemberInstantRange[]): Promise<StoredEventForRollup[]> {
  if (ranges.length === 0) return [];
  const rangeOf = new Map(ranges.map((r) => [r.memberId, r]));
  const from = new Date(Math.min(...ranges.map((r) => r.from.getTime())));
  const to = new Date(Math.max(...ranges.map((r) => r.to.getTime())));
  const docs = await EngagementEventModel.find(
    {
      moduleId: new Types.ObjectId(moduleId),
      memberId: trusted({ $in: ranges.map((r) => new Types.ObjectId(r.memberId)) }),
      occurredAt: trusted({ $gte: from, $lt: to }),
    },
    { occurredAt: 1, source: 1, sourceId: 1, count: 1, minutes: 1, memberId: 1, _id: 0 },
  ).lean();
  const events: StoredEventForRollup[] = [];
  for (const d of docs) {
    const memberId = String(d.memberId);
    const range = rangeOf.get(memberId)!;
    const at = d.occurredAt.getTime();
    if (at < range.from.getTime() || at >= range.to.getTime()) continue;
    events.push({ memberId, sourceId: d.sourceId, occurredAt: d.occurredAt, source: d.source as Source, count: d.count ?? 0, minutes: d.minutes ?? 0 });
  }
  return events;
}

export interface MemberDayRange {
  memberId: string;
  fromDay: string;
  toDay: string;
}

const rollupKey = (memberId: string, day: string, source: string) => `${memberId}|${day}|${source}`;

/** A member-day's figures for a source are the sum of its rows (its first row and any parts added since): one row per key. */
export function mergeRollupParts(rows: readonly DailyActivityRow[]): DailyActivityRow[] {
  const merged = new Map<string, DailyActivityRow>();
  for (const r of rows) {
    const key = rollupKey(r.memberId, r.day, r.source);
    const seen = merged.get(key);
    if (seen) {
      seen.count += r.count;
      seen.minutes += r.minutes;
    } else merged.set(key, { memberId: r.memberId, day: r.day, source: r.source, count: r.count, minutes: r.minutes });
  }
  return [...merged.values()];
}

/**
 * The _id of a member-day's first rollup row for a source: its member (a member id is unique across modules), day
 * and source. A single event inserts the day's row under it, and a refusal of that insert (the unique _id index,
 * on every database) is how it learns the day has one and adds a part instead.
 */
export function rollupId(memberId: string, day: string, source: Source): string {
  return `${memberId}:${day}:${source}`;
}

/**
 * Makes the stored rollups of each member over its [fromDay, toDay] equal `rows` (which must hold every row of
 * those ranges): new rows inserted, changed rows replaced, rows without events any more removed; unchanged rows are
 * not written. Idempotent, so a rerun after a crash repairs what the crash left behind.
 */
/** What a rewrite of rollups changed: rows for member-days that had none (or lost their last event), and rows whose figures moved. */
export interface RollupChanges {
  newOrGone: number;
  changed: number;
}

export async function replaceRollupsInRanges(moduleId: string, ranges: MemberDayRange[], rows: DailyActivityRow[]): Promise<RollupChanges> {
  if (ranges.length === 0) return { newOrGone: 0, changed: 0 };
  const moduleObjectId = new Types.ObjectId(moduleId);
  const rangeOf = new Map(ranges.map((r) => [r.memberId, r]));
  const inRange = (memberId: string, day: string) => {
    const r = rangeOf.get(memberId);
    return r !== undefined && day >= r.fromDay && day <= r.toDay;
  };
  const fromDay = ranges.reduce((min, r) => (r.fromDay < min ? r.fromDay : min), ranges[0]!.fromDay);
  const toDay = ranges.reduce((max, r) => (r.toDay > max ? r.toDay : max), ranges[0]!.toDay);
  const existingDocs = await DailyActivityModel.find(
    { moduleId: moduleObjectId, memberId: trusted({ $in: ranges.map((r) => new Types.ObjectId(r.memberId)) }), day: trusted({ $gte: fromDay, $lte: toDay }) },
    { _id: 1, memberId: 1, day: 1, source: 1, count: 1, minutes: 1 },
  ).lean();
  // Each member-day and source with the ids of all its rows and their summed figures.
  const existing = new Map<string, { ids: unknown[]; count: number; minutes: number }>();
  for (const d of existingDocs) {
    const memberId = String(d.memberId);
    if (!inRange(memberId, d.day)) continue;
    const key = rollupKey(memberId, d.day, d.source);
    const stored = existing.get(key) ?? { ids: [], count: 0, minutes: 0 };
    stored.ids.push(d._id);
    stored.count += d.count;
    stored.minutes += d.minutes;
    existing.set(key, stored);
  }

  const writes: DailyActivityRow[] = [];
  const removals: unknown[] = [];
  const changes: RollupChanges = { newOrGone: 0, changed: 0 };
  for (const row of rows) {
    if (!inRange(row.memberId, row.day)) continue;
    const key = rollupKey(row.memberId, row.day, row.source);
    const stored = existing.get(key);
    existing.delete(key);
    const same = stored !== undefined && stored.count === row.count && stored.minutes === row.minutes;
    if (same && stored.ids.length === 1) continue;
    // Figures the same but held in parts: folded into one row, which changes nothing anyone sees.
    if (!same) changes[stored ? 'changed' : 'newOrGone']++;
    if (stored) removals.push(...stored.ids);
    writes.push(row);
  }
  // Rows left in `existing` have no events any more.
  for (const stale of existing.values()) removals.push(...stale.ids);
  changes.newOrGone += existing.size;

  // A changed row is replaced (deleted, then inserted): two commands for the whole batch, where an update per row
  // costs FerretDB a transaction each. A crash in between leaves those member-days to the rerun, which recomputes them.
  // The driver directly: ids are strings or, on rows from before rollupId, ObjectIds, and neither may be cast.
  if (removals.length > 0) await DailyActivityModel.collection.deleteMany({ _id: { $in: removals } } as Record<string, unknown>);
  if (writes.length > 0) await insertRollupsOrSet(moduleObjectId, writes);
  return changes;
}

type RollupDocument = ReturnType<typeof rollupDocument>;

/** The rollup collection through the driver, typed with string ids (the schema's _id is open for older rows). */
const rollupCollection = () => DailyActivityModel.collection as unknown as mongo.Collection<RollupDocument>;

/** A member-day's row for a source: its first ('' part), or a part added by a later single event. */
function rollupDocument(moduleObjectId: Types.ObjectId, r: DailyActivityRow, part = '') {
  const id = rollupId(r.memberId, r.day, r.source);
  return { _id: part ? `${id}:${part}` : id, moduleId: moduleObjectId, memberId: new Types.ObjectId(r.memberId), day: r.day, source: r.source, part, count: r.count, minutes: r.minutes };
}

/**
 * Adds one new event's count and minutes to its member-day: the day's first event inserts the day's row, a later
 * one its own part (`part`, unique to the event, such as its source id). Only inserts, which a unique index
 * answers on every database: updating the row would cost FerretDB v1 a scan of every rollup. Says whether the
 * day's row is new. A part already there (the same event added twice) is not added again.
 */
export async function addToRollup(moduleId: string, row: DailyActivityRow, part: string): Promise<{ created: boolean }> {
  const moduleObjectId = new Types.ObjectId(moduleId);
  if (await insertedUnlessDuplicate(() => rollupCollection().insertOne(rollupDocument(moduleObjectId, row)))) return { created: true };
  await insertedUnlessDuplicate(() => rollupCollection().insertOne(rollupDocument(moduleObjectId, row, part)));
  return { created: false };
}

/** Inserts new rollup rows; a row another writer created meanwhile is set instead. */
async function insertRollupsOrSet(moduleObjectId: Types.ObjectId, rows: DailyActivityRow[]): Promise<void> {
  const docs = rows.map((r) => rollupDocument(moduleObjectId, r));
  try {
    await rollupCollection().insertMany(docs, { ordered: false });
  } catch (err) {
    // Only refusals of the bulk insert's own rows (each with its position) are set instead.
    const refused = duplicateWritesOf(err);
    if (refused === null || refused.includes(undefined)) throw err;
    const clashed = refused.map((index) => docs[index!]).filter((d): d is (typeof docs)[number] => d !== undefined);
    await rollupCollection().bulkWrite(
      clashed.map((d) => ({ replaceOne: { filter: { _id: d._id }, replacement: d, upsert: true } })),
      { ordered: false },
    );
  }
}

/** The newest day with activity per source, for the import page's freshness lines. */
export async function latestDayBySource(moduleId: string): Promise<Partial<Record<Source, string>>> {
  const result: Partial<Record<Source, string>> = {};
  for (const source of SOURCES) {
    const doc = await DailyActivityModel.findOne({ moduleId: new Types.ObjectId(moduleId), source }, { day: 1 }).sort({ day: -1 }).lean();
    if (doc) result[source] = doc.day;
  }
  return result;
}

/** Streams a module's events for a full rebuild without holding them all in memory. */
export async function* moduleEventsForRollup(moduleId: string): AsyncGenerator<EventForRollup & { memberId: string }> {
  const cursor = EngagementEventModel.find(
    { moduleId: new Types.ObjectId(moduleId) },
    { occurredAt: 1, source: 1, count: 1, minutes: 1, memberId: 1, _id: 0 },
  )
    .lean()
    .cursor({ batchSize: 5000 });
  for await (const d of cursor) {
    yield { memberId: String(d.memberId), occurredAt: d.occurredAt, source: d.source as Source, count: d.count ?? 0, minutes: d.minutes ?? 0 };
  }
}

export async function deleteModuleRollups(moduleId: string): Promise<void> {
  await DailyActivityModel.deleteMany({ moduleId: new Types.ObjectId(moduleId) });
}

export async function insertRollups(moduleId: string, rows: DailyActivityRow[]): Promise<void> {
  if (rows.length === 0) return;
  const moduleObjectId = new Types.ObjectId(moduleId);
  await rollupCollection().insertMany(rows.map((r) => rollupDocument(moduleObjectId, r)), { ordered: false });
}

export async function listModuleRollups(moduleId: string): Promise<DailyActivityRow[]> {
  const docs = await DailyActivityModel.find({ moduleId: new Types.ObjectId(moduleId) }, { _id: 0, moduleId: 0, part: 0 }).batchSize(WHOLE_RESULT_BATCH).lean();
  return mergeRollupParts(docs.map((d) => ({ memberId: String(d.memberId), day: d.day, source: d.source as Source, count: d.count, minutes: d.minutes })));
}
