import { Types, trusted } from 'mongoose';
import { DailyActivityModel } from './models/daily-activity-model';
import { EngagementEventModel } from './models/engagement-event-model';
import type { Source } from './types';

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

/** The member's events between two instants, only the fields a rollup needs. */
export async function memberEventsBetween(moduleId: string, memberId: string, from: Date, to: Date): Promise<EventForRollup[]> {
  const docs = await EngagementEventModel.find(
    { moduleId: new Types.ObjectId(moduleId), memberId: new Types.ObjectId(memberId), occurredAt: trusted({ $gte: from, $lt: to }) },
    { occurredAt: 1, source: 1, count: 1, minutes: 1, _id: 0 },
  ).lean();
  return docs.map((d) => ({ occurredAt: d.occurredAt, source: d.source as Source, count: d.count ?? 0, minutes: d.minutes ?? 0 }));
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

/**
 * Makes the stored rollups for one member over [fromDay, toDay] equal `rows`: rows are set (not incremented)
 * and rows that no longer have events are removed, so running it twice, or after a crash, gives the same result.
 */
export async function replaceMemberDays(moduleId: string, memberId: string, fromDay: string, toDay: string, rows: DailyActivityRow[]): Promise<void> {
  const moduleObjectId = new Types.ObjectId(moduleId);
  const memberObjectId = new Types.ObjectId(memberId);
  if (rows.length > 0) {
    await DailyActivityModel.bulkWrite(
      rows.map((r) => ({
        updateOne: {
          filter: { moduleId: moduleObjectId, memberId: memberObjectId, day: r.day, source: r.source },
          update: { $set: { count: r.count, minutes: r.minutes } },
          upsert: true,
        },
      })),
      { ordered: false },
    );
  }
  const keep = new Set(rows.map((r) => `${r.day}|${r.source}`));
  const existing = await DailyActivityModel.find(
    { moduleId: moduleObjectId, memberId: memberObjectId, day: trusted({ $gte: fromDay, $lte: toDay }) },
    { day: 1, source: 1 },
  ).lean();
  const stale = existing.filter((e) => !keep.has(`${e.day}|${e.source}`)).map((e) => e._id);
  if (stale.length > 0) await DailyActivityModel.deleteMany({ _id: trusted({ $in: stale }) });
}

export async function deleteModuleRollups(moduleId: string): Promise<void> {
  await DailyActivityModel.deleteMany({ moduleId: new Types.ObjectId(moduleId) });
}

export async function insertRollups(moduleId: string, rows: DailyActivityRow[]): Promise<void> {
  if (rows.length === 0) return;
  const moduleObjectId = new Types.ObjectId(moduleId);
  await DailyActivityModel.insertMany(
    rows.map((r) => ({ moduleId: moduleObjectId, memberId: new Types.ObjectId(r.memberId), day: r.day, source: r.source, count: r.count, minutes: r.minutes })),
    { ordered: false },
  );
}

export async function listModuleRollups(moduleId: string): Promise<DailyActivityRow[]> {
  const docs = await DailyActivityModel.find({ moduleId: new Types.ObjectId(moduleId) }, { _id: 0, moduleId: 0 }).lean();
  return docs.map((d) => ({ memberId: String(d.memberId), day: d.day, source: d.source as Source, count: d.count, minutes: d.minutes }));
}
