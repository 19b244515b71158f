import { Types } from 'mongoose';
import { EngagementEventModel } from './models/engagement-event-model';
import { duplicateWritesOf } from './duplicate-key';
import { SOURCES, type EngagementEvent, type Source } from './types';

export interface NewEngagementEvent extends Omit<EngagementEvent, 'id'> {
  importId?: string | null;
}

/**
 * Inserts events once: an event already stored under (module, source, sourceId) is refused by the unique index
 * and left as it is. Returns how many were new. A plain unordered insert, not an upsert per event: FerretDB
 * runs an upsert's filter as a scan of the whole collection (only {_id} is pushed down to SQLite), which made
 * imports quadratic there, while the unique index is checked by SQLite itself.
 */
export async function insertEvents(events: NewEngagementEvent[]): Promise<number> {
  if (events.length === 0) return 0;
  const createdAt = new Date();
  const docs = events.map((e) => ({
    moduleId: new Types.ObjectId(e.moduleId),
    memberId: new Types.ObjectId(e.memberId),
    source: e.source,
    sourceId: e.sourceId,
    occurredAt: e.occurredAt,
    count: e.count,
    minutes: e.minutes,
    detail: e.detail,
    importId: e.importId ?? null,
    createdAt,
  }));
  try {
    // The driver directly: these documents are built here in the schema's shape, and casting a million of them costs.
    const res = await EngagementEventModel.collection.insertMany(docs, { ordered: false });
    return res.insertedCount;
  } catch (err) {
    // Re-imported rows, or two writers storing the same new event at once: the duplicate is exactly what we drop.
    const duplicates = duplicateWritesOf(err);
    if (duplicates === null) throw err;
    return events.length - duplicates.length;
  }
}

function toEvent(d: Record<string, unknown>): EngagementEvent {
  return {
    id: String(d._id),
    moduleId: String(d.moduleId),
    memberId: String(d.memberId),
    source: d.source as Source,
    sourceId: String(d.sourceId),
    occurredAt: d.occurredAt as Date,
    count: Number(d.count ?? 0),
    minutes: Number(d.minutes ?? 0),
    detail: (d.detail as Record<string, unknown>) ?? {},
  };
}

export async function listMemberEvents(moduleId: string, memberId: string, source?: Source, limit = 200): Promise<EngagementEvent[]> {
  const filter: Record<string, unknown> = { moduleId: new Types.ObjectId(moduleId), memberId: new Types.ObjectId(memberId) };
  if (source) filter.source = source;
  const docs = await EngagementEventModel.find(filter).sort({ occurredAt: -1 }).limit(limit).lean();
  return docs.map((d) => toEvent(d as Record<string, unknown>));
}

/** How many events the module holds from each source: one pass over the module's events, not one per source. */
export async function countModuleEventsBySource(moduleId: string): Promise<Record<Source, number>> {
  const counts = Object.fromEntries(SOURCES.map((s) => [s, 0])) as Record<Source, number>;
  const groups = await EngagementEventModel.aggregate<{ _id: Source; n: number }>([
    { $match: { moduleId: new Types.ObjectId(moduleId) } },
    { $group: { _id: '$source', n: { $sum: 1 } } },
  ]);
  for (const g of groups) counts[g._id] = g.n;
  return counts;
}
