import { Types } from 'mongoose';
import { EngagementEventModel } from './models/engagement-event-model';
import type { EngagementEvent, Source } from './types';

export interface NewEngagementEvent {
  moduleId: string;
  memberId: string;
  source: Source;
  sourceId: string;
  occurredAt: Date;
  count: number;
  minutes: number;
  detail: Record<string, unknown>;
  importId?: string | null;
}

const DUPLICATE_KEY = 11000;

function isOnlyDuplicateKeyErrors(err: unknown): boolean {
  const e = err as { code?: number; writeErrors?: Array<{ code?: number; err?: { code?: number } }> };
  if (e.code === DUPLICATE_KEY) return true;
  return Array.isArray(e.writeErrors) && e.writeErrors.every((w) => (w.code ?? w.err?.code) === DUPLICATE_KEY);
}

/**
 * Inserts events once: an event already stored under (module, source, sourceId) is left as it is.
 * Returns how many were new. Upserts with $setOnInsert work the same on MongoDB and FerretDB.
 */
export async function insertEvents(events: NewEngagementEvent[]): Promise<number> {
  if (events.length === 0) return 0;
  const ops = events.map((e) => ({
    updateOne: {
      filter: { moduleId: new Types.ObjectId(e.moduleId), source: e.source, sourceId: e.sourceId },
      update: {
        $setOnInsert: {
          memberId: new Types.ObjectId(e.memberId),
          occurredAt: e.occurredAt,
          count: e.count,
          minutes: e.minutes,
          detail: e.detail,
          importId: e.importId ?? null,
          createdAt: new Date(),
        },
      },
      upsert: true,
    },
  }));
  try {
    // Cast: mongoose's inferred schema types do not model nullable defaults.
    const res = await EngagementEventModel.bulkWrite(ops as never, { ordered: false });
    return res.upsertedCount;
  } catch (err) {
    // Two writers inserting the same new event at once: the loser's duplicate is exactly what we want to drop.
    if (isOnlyDuplicateKeyErrors(err)) {
      const r = (err as { result?: { upsertedCount?: number } }).result;
      return r?.upsertedCount ?? 0;
    }
    throw err;
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

export async function countModuleEvents(moduleId: string, source?: Source): Promise<number> {
  const filter: Record<string, unknown> = { moduleId: new Types.ObjectId(moduleId) };
  if (source) filter.source = source;
  return EngagementEventModel.countDocuments(filter);
}
