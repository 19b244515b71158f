import { Types, trusted } from 'mongoose';
import { EngagementEventModel } from './models/engagement-event-model';
import type { Source } from './types';

export interface RaisedTotal {
  sourceId: string;
  count: number;
  minutes: number;
  detail: Record<string, unknown>;
  importId: string | null;
}

/**
 * Gives stored events the higher totals of a later export (Echo360 counts views as running totals per viewer,
 * recording and day). One read finds their ids, then each is updated by _id: FerretDB scans the collection for any
 * other update filter.
 */
export async function raiseEventTotals(moduleId: string, source: Source, raised: readonly RaisedTotal[]): Promise<void> {
  if (raised.length === 0) return;
  const docs = await EngagementEventModel.find(
    { moduleId: new Types.ObjectId(moduleId), source, sourceId: trusted({ $in: raised.map((r) => r.sourceId) }) },
    { _id: 1, sourceId: 1 },
  ).lean();
  const idOf = new Map(docs.map((d) => [d.sourceId, d._id]));
  const updates = raised.flatMap((r) => {
    const _id = idOf.get(r.sourceId);
    return _id ? [{ updateOne: { filter: { _id }, update: { $set: { count: r.count, minutes: r.minutes, detail: r.detail, importId: r.importId } } } }] : [];
  });
  // Cast: mongoose's inferred schema types do not model the nullable importId.
  if (updates.length > 0) await EngagementEventModel.bulkWrite(updates as never, { ordered: false });
}
